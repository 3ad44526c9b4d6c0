import type { RecordSequence } from './types.js';

/**
 * The catalogue ordered by (release day, id), the order of the /discover routes, with binary search for
 * inclusive release-date windows. Built once per catalogue: 4 bytes per record for the order and 4 for the
 * day of each position.
 */
export class ReleaseIndex {
  private constructor(
    /** Catalogue index at each position. */
    private readonly order: Int32Array,
    /** Release day (days since 1970-01-01) at each position, non-decreasing. */
    private readonly days: Int32Array,
  ) {}

  /** Orders indices 0..size-1 by (`dayOf(index)`, index); ties keep id order, so pages are deterministic. */
  static build(size: number, dayOf: (index: number) => number): ReleaseIndex {
    const dayByIndex = new Int32Array(size);
    for (let i = 0; i < size; i++) dayByIndex[i] = dayOf(i);
    const order = new Int32Array(size);
    for (let i = 0; i < size; i++) order[i] = i;
    order.sort((a, b) => dayByIndex[a] - dayByIndex[b] || a - b);
    const days = new Int32Array(size);
    for (let pos = 0; pos < size; pos++) days[pos] = dayByIndex[order[pos]];
    return new ReleaseIndex(order, days);
  }

  get length(): number {
    return this.order.length;
  }

  /** The records released from day `gte` to day `lte`, both inclusive, either open when undefined. */
  window(gte?: number, lte?: number): RecordSequence {
    const start = gte === undefined ? 0 : this.firstPositionAtOrAfter(gte);
    const end = lte === undefined ? this.days.length : this.firstPositionAtOrAfter(lte + 1);
    const order = this.order;
    return { length: Math.max(0, end - start), indexAt: (pos) => order[start + pos] };
  }

  private firstPositionAtOrAfter(day: number): number {
    let lo = 0;
    let hi = this.days.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.days[mid] < day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
