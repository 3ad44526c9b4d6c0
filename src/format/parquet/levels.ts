/**
 * Parquet's RLE / bit-packed hybrid encoding of definition and repetition levels: a run of at least 8 equal
 * levels becomes one RLE run (header, then the value), anything else is bit-packed 8 levels at a time,
 * least significant bit first. The last bit-packed group is padded with zeros; readers stop at the page's
 * value count.
 */
import type { ByteBuffer } from './bytes.js';

/** Bits a level up to `maxLevel` takes. */
export function bitWidth(maxLevel: number): number {
  return maxLevel === 0 ? 0 : 32 - Math.clz32(maxLevel);
}

/** Appends the hybrid encoding of `levels[0, count)` at `width` bits (1..8) to `out`. */
export function encodeLevels(levels: Uint8Array, count: number, width: number, out: ByteBuffer): void {
  let i = 0;
  while (i < count) {
    const runEnd = sameUntil(levels, i, count);
    if (runEnd - i >= 8) {
      out.varint((runEnd - i) * 2); // RLE header: count << 1
      out.u8(levels[i]); // ceil(width / 8) = 1 byte
      i = runEnd;
      continue;
    }
    // bit-pack groups of 8 until a long run starts at a group boundary, or the levels end
    const start = i;
    do i += 8;
    while (i < count && sameUntil(levels, i, Math.min(count, i + 8)) - i < 8);
    const end = Math.min(i, count);
    const groups = Math.ceil((end - start) / 8);
    out.varint(groups * 2 + 1); // bit-packed header: groups << 1 | 1
    packBits(levels, start, end, groups * 8, width, out);
    i = end;
  }
}

/** End of the run of levels equal to `levels[from]`, at most `limit`. */
function sameUntil(levels: Uint8Array, from: number, limit: number): number {
  const v = levels[from];
  let j = from + 1;
  while (j < limit && levels[j] === v) j++;
  return j;
}

/** Packs `levels[start, end)`, zero-padded to `slots` values, at `width` bits each, LSB first. */
function packBits(levels: Uint8Array, start: number, end: number, slots: number, width: number, out: ByteBuffer): void {
  out.ensure((slots * width) / 8);
  let acc = 0;
  let bits = 0;
  for (let k = 0; k < slots; k++) {
    const v = start + k < end ? levels[start + k] : 0;
    acc |= v << bits;
    bits += width;
    while (bits >= 8) {
      out.u8(acc & 0xff);
      acc >>>= 8;
      bits -= 8;
    }
  }
  // slots is a multiple of 8, so slots * width is whole bytes: nothing is left in acc
}
