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
 *
 * A contiguous plan with `block_tail` (every new plan) ends each executor's run in blocks that halve down to
 * `block_tail` pages (`tailSizes`). An executor works its run front to back and one that is done takes others'
 * blocks from the back, so the two meet on small blocks: the last one standing holds little, and nobody waits
 * long for it at the end of a run (an older plan, without the field, keeps blocks of one size).
 */
export function blockCount(plan: Plan): number {
  const tapered = taperedLayout(plan);
  if (tapered) return tapered.home.length;
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
  const tapered = taperedLayout(plan);
  if (tapered) return tapered.home[b];
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
  const tapered = taperedLayout(plan);
  if (tapered) return range(tapered.firstBlock[i], tapered.firstBlock[i + 1]);
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
  const tapered = taperedLayout(plan);
  if (tapered) return range(first + tapered.start[b], first + tapered.start[b + 1]);
  const size = blockPages(plan);
  const from = first + b * size;
  const to = Math.min(last, from + size - 1);
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);
}

/** The block that holds page id `page`: indexed pages by range, chain pages by their slice. */
export function blockOfPage(plan: Plan, page: number): number {
  const tapered = taperedLayout(plan);
  if (tapered && plan.pages) return lastAtOrBelow(tapered.start, page - plan.pages.first);
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

/** The smallest block at the end of an executor's run, for blocks of `blockPages` (an eighth, 1 to 32 pages). */
export function defaultBlockTail(blockPages: number): number {
  return Math.max(1, Math.min(32, Math.ceil(blockPages / 8)));
}

/**
 * Block sizes of one executor's run of `pages` pages, front to back: full blocks of `size`, then a tail that
 * halves down to `tail` (`tail, tail, 2·tail, 4·tail, … < size`, read from the back); what is left over
 * makes the first block smaller. `tailSizes(1000, 250, 32)` is `[244, 250, 250, 128, 64, 32, 32]`.
 */
export function tailSizes(pages: number, size: number, tail: number): number[] {
  const back: number[] = [];
  let left = pages;
  for (let next = tail; left > 0 && next < size; next = back.length === 1 ? next : next * 2) {
    back.push(Math.min(next, left));
    left -= back[back.length - 1];
  }
  const front: number[] = [];
  if (left % size) front.push(left % size);
  for (let k = Math.floor(left / size); k > 0; k--) front.push(size);
  return [...front, ...back.reverse()];
}

/** A tapered plan's blocks: where each starts (page offset, one extra at the end), its home, each executor's first. */
interface TaperedLayout {
  start: number[];
  home: number[];
  firstBlock: number[];
}

const layouts = new WeakMap<Plan, TaperedLayout>();

/** The layout of a contiguous plan with `block_tail`, computed once per plan object; undefined for any other plan. */
function taperedLayout(plan: Plan): TaperedLayout | undefined {
  if (!plan.pages || plan.block_tail === undefined || plan.partitioning !== 'contiguous') return undefined;
  let layout = layouts.get(plan);
  if (layout) return layout;
  const total = Math.max(0, plan.pages.last - plan.pages.first + 1);
  const n = plan.executors;
  layout = { start: [0], home: [], firstBlock: [] };
  for (let i = 0; i < n; i++) {
    layout.firstBlock.push(layout.home.length);
    const pages = Math.floor(((i + 1) * total) / n) - Math.floor((i * total) / n);
    for (const size of tailSizes(pages, blockPages(plan), plan.block_tail)) {
      layout.start.push(layout.start[layout.start.length - 1] + size);
      layout.home.push(i);
    }
  }
  layout.firstBlock.push(layout.home.length);
  layouts.set(plan, layout);
  return layout;
}

/** The largest k with sorted[k] <= x (sorted ascending, sorted[0] <= x). */
function lastAtOrBelow(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
}
