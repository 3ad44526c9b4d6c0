import { ConfigError } from '../errors.js';
import { addDays } from '../spec/units.js';
import type { Plan } from './types.js';

/** A date window, both days inclusive (YYYY-MM-DD). */
export interface Window {
  from: string;
  to: string;
}

/** The windows [from, to] cut every `stepDays` (the last one shorter), or one window without a step. */
export function cutWindows(from: string, to: string, stepDays?: number): Window[] {
  if (!stepDays) return [{ from, to }];
  const out: Window[] = [];
  for (let d = from; d <= to; d = addDays(d, stepDays)) {
    const end = addDays(d, stepDays - 1);
    out.push({ from: d, to: end < to ? end : to });
  }
  return out;
}

export function daysIn(w: Window): number {
  return Math.round((Date.parse(`${w.to}T00:00:00Z`) - Date.parse(`${w.from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** A window's two halves (the first gets the smaller half of an odd count). */
export function halves(w: Window): [Window, Window] {
  const left = Math.floor(daysIn(w) / 2);
  const mid = addDays(w.from, left - 1);
  return [{ from: w.from, to: mid }, { from: addDays(mid, 1), to: w.to }];
}

/**
 * Block ids of windows. A root window r (0..R-1) is block r. Splitting is a binary tree: a window's heap
 * index h (root 1, halves 2h and 2h+1) gives block `r + R*(h-1)`, so every executor and every later
 * session names the halves of a window the same way without asking anyone.
 */
export function windowBlock(roots: number, root: number, heap: number): number {
  return root + roots * (heap - 1);
}

/** The largest heap index any window of the plan can reach (split down to single days). */
export function maxHeap(windows: readonly Window[]): number {
  const days = Math.max(1, ...windows.map(daysIn));
  return 2 ** (Math.ceil(Math.log2(days)) + 1);
}

/** Block ids are multiplied by CHAIN_SPAN into page ids, which must stay exact in a double. */
export const MAX_WINDOW_BLOCKS = 900_000_000;

export function checkWindowIds(windows: readonly Window[]): void {
  if (windows.length * maxHeap(windows) > MAX_WINDOW_BLOCKS) {
    throw new ConfigError('slices', `too many windows to split (${windows.length} windows of up to ${Math.max(...windows.map(daysIn))} days): use a larger step`);
  }
}

/** The window a block stands for, and its root. */
export function windowOf(plan: Plan, block: number): Window & { root: number; heap: number } {
  const list = plan.slices!.windows!.list;
  const root = block % list.length;
  const heap = Math.floor(block / list.length) + 1;
  let w = list[root];
  // walk from the root down the heap index's bits, most significant first (after the leading 1)
  for (let bit = Math.floor(Math.log2(heap)) - 1; bit >= 0; bit--) w = halves(w)[(heap >> bit) & 1];
  return { ...w, root, heap };
}

/** The blocks of a window's two halves. */
export function childBlocks(plan: Plan, block: number): [number, number] {
  const roots = plan.slices!.windows!.list.length;
  const { root, heap } = windowOf(plan, block);
  return [windowBlock(roots, root, 2 * heap), windowBlock(roots, root, 2 * heap + 1)];
}
