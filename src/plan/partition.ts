import type { Plan } from './types.js';

/**
 * The page ids of executor `i` of `n`, computed from the plan alone (executors share nothing).
 * - contiguous: executor i gets one block of about P/n pages. Its files hold a compact page range, a
 *   kill affects one block, and each executor walks the API sequentially (friendly to API caches).
 * - stride: executor i gets pages i, i+n, i+2n, … so every executor moves from shallow to deep pages at
 *   the same time; better when deep pages are slower (offset APIs that scan), worse for file locality.
 */
export function* pagesOf(plan: Plan, i: number): Generator<number> {
  if (!plan.pages) return;
  const { first, last } = plan.pages;
  const n = plan.executors;
  const count = last - first + 1;
  if (count <= 0) return;
  if (plan.partitioning === 'stride') {
    for (let p = first + i; p <= last; p += n) yield p;
    return;
  }
  const from = first + Math.floor((i * count) / n);
  const to = first + Math.floor(((i + 1) * count) / n) - 1;
  for (let p = from; p <= to; p++) yield p;
}

/** Number of pages executor i owns (without walking them). */
export function pageCountOf(plan: Plan, i: number): number {
  if (!plan.pages) return 0;
  const count = Math.max(0, plan.pages.last - plan.pages.first + 1);
  const n = plan.executors;
  if (plan.partitioning === 'stride') return i < count ? Math.ceil((count - i) / n) : 0;
  return Math.floor(((i + 1) * count) / n) - Math.floor((i * count) / n);
}

/** The executor that owns page `id`. */
export function ownerOf(plan: Plan, id: number): number {
  const { first, last } = plan.pages!;
  const n = plan.executors;
  const count = last - first + 1;
  const k = id - first;
  if (plan.partitioning === 'stride') return k % n;
  // the largest i with floor(i*count/n) <= k
  let i = Math.min(n - 1, Math.floor(((k + 1) * n) / count));
  while (i > 0 && Math.floor((i * count) / n) > k) i--;
  while (i < n - 1 && Math.floor(((i + 1) * count) / n) <= k) i++;
  return i;
}

/** Slice indexes of executor i: slices are dealt round-robin. */
export function slicesOf(plan: Plan, i: number): number[] {
  const count = plan.slices?.values.length ?? 0;
  const out: number[] = [];
  for (let s = i; s < count; s += plan.executors) out.push(s);
  return out;
}
