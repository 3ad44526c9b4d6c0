import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CatalogueView } from './view.js';

describe('CatalogueView', () => {
  it('unshifted: position p is index p', () => {
    const v = CatalogueView.shifted(5, 0);
    assert.equal(v.length, 5);
    assert.deepEqual([0, 1, 2, 3, 4].map((p) => v.indexAt(p)), [0, 1, 2, 3, 4]);
    assert.equal(v.positionAfterId(0), 0);
    assert.equal(v.positionAfterId(3), 3);
    assert.equal(v.positionAfterId(99), 5);
  });

  it('shifted: newest inserted record first, with fresh indices >= size', () => {
    const v = CatalogueView.shifted(5, 2);
    assert.equal(v.length, 7);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((p) => v.indexAt(p)), [6, 5, 0, 1, 2, 3, 4]);
    // keyset: after id 1 (index 0, now at position 2) comes position 3
    assert.equal(v.positionAfterId(1), 3);
    // after inserted id 7 (index 6, position 0) comes position 1
    assert.equal(v.positionAfterId(7), 1);
    assert.equal(v.positionAfterId(6), 2);
  });

  it('subset: positions walk the given indices; unknown ids end the walk', () => {
    const v = CatalogueView.subset(Int32Array.from([2, 5, 9]));
    assert.equal(v.length, 3);
    assert.deepEqual([0, 1, 2].map((p) => v.indexAt(p)), [2, 5, 9]);
    assert.equal(v.positionAfterId(6), 2);
    assert.equal(v.positionAfterId(7), 3);
  });
});
