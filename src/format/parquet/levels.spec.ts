import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../../test/prng.js';
import { ByteBuffer } from './bytes.js';
import { bitWidth, encodeLevels } from './levels.js';

/** The reader's side of the hybrid encoding, written from the format's description. */
function decode(bytes: Uint8Array, count: number, width: number): number[] {
  const out: number[] = [];
  let i = 0;
  const varint = () => {
    let v = 0;
    for (let shift = 1; ; shift *= 128) {
      const b = bytes[i++];
      v += (b & 0x7f) * shift;
      if (b < 0x80) return v;
    }
  };
  while (out.length < count) {
    const header = varint();
    if (header % 2 === 0) {
      const value = bytes[i++];
      for (let k = 0; k < header / 2; k++) out.push(value);
    } else {
      const values = ((header - 1) / 2) * 8;
      let acc = 0;
      let bits = 0;
      for (let k = 0; k < values; k++) {
        while (bits < width) {
          acc |= bytes[i++] << bits;
          bits += 8;
        }
        out.push(acc & ((1 << width) - 1));
        acc >>>= width;
        bits -= width;
      }
    }
  }
  assert.equal(i, bytes.length, 'every byte consumed');
  return out.slice(0, count);
}

function encoded(levels: number[], width: number): Uint8Array {
  const out = new ByteBuffer(8);
  encodeLevels(Uint8Array.from(levels), levels.length, width, out);
  return out.copy();
}

describe('levels: RLE / bit-packed hybrid', () => {
  it('bit widths of the largest level', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 7, 8].map(bitWidth), [0, 1, 2, 2, 3, 3, 4]);
  });

  it('a long run is one RLE run; a short mix is bit-packed, LSB first, padded to 8', () => {
    assert.deepEqual([...encoded(Array(10).fill(1), 1)], [20, 1]); // header 10 << 1, value
    // 1,0,1,1,0,0,1,0 | 1 -> two groups: header 2 << 1 | 1, then 0b01001101 and 0b00000001
    assert.deepEqual([...encoded([1, 0, 1, 1, 0, 0, 1, 0, 1], 1)], [5, 0x4d, 0x01]);
  });

  it('round-trips random levels of every width, runs and mixes alike', () => {
    const r = mulberry32(7);
    for (let trial = 0; trial < 300; trial++) {
      const max = Math.floor(r() * 7) + 1;
      const width = bitWidth(max);
      const levels: number[] = [];
      const n = Math.floor(r() * 400);
      while (levels.length < n) {
        const v = Math.floor(r() * (max + 1));
        const run = r() < 0.3 ? Math.floor(r() * 40) : 1;
        for (let k = 0; k < run; k++) levels.push(v);
      }
      assert.deepEqual(decode(encoded(levels, width), levels.length, width), levels, `trial ${trial}`);
    }
  });
});
