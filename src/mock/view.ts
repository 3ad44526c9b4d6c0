/**
 * The ordered list of records a request sees: the catalogue (ascending id), optionally restricted to one
 * release year (a "slice"), with `shift` records inserted at the head to simulate new records arriving
 * while a client pages (insertEvery). Inserted record j (0 = first inserted) has index size + j, so its id
 * is new and unique; the newest insert comes first. Year slices are not shifted.
 *
 * Position-based styles (page, offset, cursor, array) therefore repeat a record after each insert, as real
 * APIs do; the keyset style (/link?after=ID) does not.
 */
export class CatalogueView {
  private constructor(
    private readonly size: number,
    private readonly shift: number,
    private readonly subset: Int32Array | undefined,
  ) {}

  /** Whole catalogue with `shift` inserted records at the head. */
  static shifted(size: number, shift: number): CatalogueView {
    return new CatalogueView(size, Math.max(0, shift), undefined);
  }

  /** A fixed ascending subset of catalogue indices (a year slice). */
  static subset(indices: Int32Array): CatalogueView {
    return new CatalogueView(indices.length, 0, indices);
  }

  get length(): number {
    return this.size + this.shift;
  }

  /** Catalogue index of the record at `pos` (0 <= pos < length). */
  indexAt(pos: number): number {
    if (this.subset) return this.subset[pos];
    if (pos < this.shift) return this.size + (this.shift - 1 - pos);
    return pos - this.shift;
  }

  /**
   * Position just after the record with id `id` (keyset pagination), or `length` if the id is unknown.
   * `id` 0 means "from the start".
   */
  positionAfterId(id: number): number {
    if (id === 0) return 0;
    const index = id - 1;
    if (this.subset) {
      const pos = lowerBound(this.subset, index);
      return pos < this.subset.length && this.subset[pos] === index ? pos + 1 : this.length;
    }
    if (index < this.size) return index + this.shift + 1;
    if (index < this.size + this.shift) return this.shift - (index - this.size);
    return this.length;
  }
}

function lowerBound(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
