import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReleaseIndex } from './release-index.js';
import type { RecordSequence } from './types.js';

/** Index i is released on day DAYS[i]. */
const DAYS = [5, 3, 5, -2, 9, 3, 5, 0];

function indices(seq: RecordSequence): number[] {
  return Array.from({ length: seq.length }, (_, pos) => seq.indexAt(pos));
}

describe('ReleaseIndex', () => {
  const index = ReleaseIndex.build(DAYS.length, (i) => DAYS[i]);

  it('orders by (day, index): ties keep index order', () => {
    assert.equal(index.length, 8);
    assert.deepEqual(indices(index.window()), [3, 7, 1, 5, 0, 2, 6, 4]);
  });

  it('windows are inclusive at both ends and open where a bound is missing', () => {
    assert.deepEqual(indices(index.window(3, 5)), [1, 5, 0, 2, 6]);
    assert.deepEqual(indices(index.window(4, 5)), [0, 2, 6]);
    assert.deepEqual(indices(index.window(5, 5)), [0, 2, 6]);
    assert.deepEqual(indices(index.window(undefined, 0)), [3, 7]);
    assert.deepEqual(indices(index.window(6)), [4]);
    assert.deepEqual(indices(index.window(-100, 100)), indices(index.window()));
  });

  it('an empty window: no day inside it, or gte after lte', () => {
    assert.equal(index.window(6, 8).length, 0);
    assert.equal(index.window(10).length, 0);
    assert.equal(index.window(5, 3).length, 0);
    assert.equal(ReleaseIndex.build(0, () => 0).window().length, 0);
  });

  it('adjacent windows partition the whole order', () => {
    const parts = [index.window(undefined, 2), index.window(3, 4), index.window(5, 8), index.window(9)];
    assert.deepEqual(parts.flatMap(indices), indices(index.window()));
  });
});
