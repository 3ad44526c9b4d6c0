import type { Plan } from './types.js';
import { windowOf } from './windows.js';

/**
 * How a plan's work is cut and who owns it, computed from the plan alone (executors share nothing).
 *
 * The unit of work is the **block**: indexed styles (page, offset) cut the page range into blocks of
 * `plan.block_pages` consecutive pages; chain styles (cursor, link) have one block per slice (one chain).
 * A block is claimed by one session at a time and each data file holds pages of one block only
 * (docs/design.md, "How executors agree without talking"), so the block is also the unit of fencing.
 *
 * Every block has a home executor:
 * - contiguous: executor i gets one run of about B/n consecutive blocks (compact page ranges, each executor
 *   walks the API in order, friendly to API caches);
 * - stride: blocks are dealt round-robin, so every executor moves from shallow to deep pages at the same
 *   time (better when deep pages are slower, as in offset APIs that scan).
 * Chains are always dealt round-robin.
 */
export function blockCount(plan: Plan): number {
  if (plan.pages) {
    const pages = plan.pages.last - plan.pages.first + 1;
    return pages <= 0 ? 0 : Math.ceil(pages / blockPages(plan));
  }
  return plan.slices?.values.length ?? 0;
}

/** Pages per block (indexed styles). Plans written before blocks existed count as one block per page. */
export function blockPages(plan: Plan): number {
  return plan.block_pages ?? 1;
}

/** The executor whose partition holds block `b` (the halves of a split window belong to its root's executor). */
export function homeOf(plan: Plan, b: number): number {
  const n = plan.executors;
  if (plan.slices) return (b % plan.slices.values.length) % n;
  if (!plan.pages || plan.partitioning === 'stride') return b % n;
  const count = blockCount(plan);
  // the largest i with floor(i*count/n) <= b
  let i = Math.min(n - 1, Math.floor(((b + 1) * n) / count));
  while (i > 0 && Math.floor((i * count) / n) > b) i--;
  while (i < n - 1 && Math.floor(((i + 1) * count) / n) <= b) i++;
  return i;
}

/** Home blocks of executor i, in the order it works on them. */
export function blocksOf(plan: Plan, i: number): number[] {
  const count = blockCount(plan);
  const n = plan.executors;
  const out: number[] = [];
  if (!plan.pages || plan.partitioning === 'stride') {
    for (let b = i; b < count; b += n) out.push(b);
    return out;
  }
  for (let b = Math.floor((i * count) / n); b < Math.floor(((i + 1) * count) / n); b++) out.push(b);
  return out;
}

/** The query params of a slice block: its value, or its window's two days; {} without slices. */
export function sliceParamsOf(plan: Plan, b: number): Record<string, string> {
  const s = plan.slices;
  if (!s) return {};
  if (s.windows) {
    const w = windowOf(plan, b);
    return { [s.windows.from_param]: w.from, [s.windows.to_param]: w.to };
  }
  return s.param ? { [s.param]: s.values[b] } : {};
}

/** A slice block's name for messages: its value or window. */
export function sliceLabelOf(plan: Plan, b: number): string {
  if (plan.slices?.windows) {
    const w = windowOf(plan, b);
    return `${w.from}..${w.to}`;
  }
  return plan.slices?.values[b] || '(no slice)';
}

/**
 * Other executors' blocks in the order an executor that has finished its own takes them: one block from the
 * end of each partition in turn, starting with the next executor, so it takes work that is furthest from
 * being reached by its owner and spreads what it takes over every owner.
 */
export function othersBlocks(plan: Plan, i: number): number[] {
  const lists = Array.from({ length: plan.executors - 1 }, (_, k) => blocksOf(plan, (i + 1 + k) % plan.executors).reverse());
  const out: number[] = [];
  for (let round = 0; lists.some((l) => round < l.length); round++) for (const l of lists) if (round < l.length) out.push(l[round]);
  return out;
}

/** Page ids of an indexed block, in order. */
export function pagesOfBlock(plan: Plan, b: number): number[] {
  const { first, last } = plan.pages!;
  const size = blockPages(plan);
  const from = first + b * size;
  const to = Math.min(last, from + size - 1);
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);
}

/** The block that holds page id `page`: indexed pages by range, chain pages by their slice. */
export function blockOfPage(plan: Plan, page: number): number {
  if (plan.pages) return Math.floor((page - plan.pages.first) / blockPages(plan));
  return Math.floor(page / CHAIN_SPAN);
}

/** Pages executor i owns (indexed styles). */
export function pageCountOf(plan: Plan, i: number): number {
  return blocksOf(plan, i).reduce((n, b) => n + pagesOfBlock(plan, b).length, 0);
}

/** Every page id of the plan (indexed styles), in order. */
export function* allPages(plan: Plan): Generator<number> {
  if (!plan.pages) return;
  for (let p = plan.pages.first; p <= plan.pages.last; p++) yield p;
}

/** Chain page ids are `slice * CHAIN_SPAN + position`, so the pages of different chains never collide. */
export const CHAIN_SPAN = 10_000_000;

/** How many blocks each executor gets by default: enough that a finished executor can take work from a slow one. */
export const BLOCKS_PER_EXECUTOR = 4;
/** Largest default block (pages): a data file holds at most one block, so this bounds files in pages. */
export const MAX_BLOCK_PAGES = 1_000;

/** The default block size for a page range split over `executors`. */
export function defaultBlockPages(pages: number, executors: number): number {
  return Math.max(1, Math.min(MAX_BLOCK_PAGES, Math.ceil(pages / (executors * BLOCKS_PER_EXECUTOR))));
}
