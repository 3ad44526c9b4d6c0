import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ownerOf, pageCountOf, pagesOf, slicesOf } from './partition.js';
import type { Plan } from './types.js';

const plan = (first: number, last: number, executors: number, partitioning: Plan['partitioning']): Plan => ({
  version: 1, dataset: 'd', run_id: 'r', created_at: '', ingest_date: '2026-01-01', executors, style: 'page', partitioning,
  pages: { first, last },
});

for (const partitioning of ['contiguous', 'stride'] as const) {
  test(`${partitioning}: every page belongs to exactly one executor, and ownerOf agrees`, () => {
    for (const [first, last, n] of [[1, 500, 3], [0, 9, 4], [1, 2, 5], [1, 0, 3], [7, 7, 1]] as const) {
      const p = plan(first, last, n, partitioning);
      const seen = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const pages = [...pagesOf(p, i)];
        assert.equal(pages.length, pageCountOf(p, i));
        for (const page of pages) {
          assert.ok(!seen.has(page), `page ${page} twice`);
          seen.set(page, i);
          assert.equal(ownerOf(p, page), i);
        }
      }
      assert.equal(seen.size, Math.max(0, last - first + 1));
    }
  });
}

test('contiguous blocks differ in size by at most one page', () => {
  const p = plan(1, 1000, 3, 'contiguous');
  const sizes = [0, 1, 2].map((i) => pageCountOf(p, i));
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
  assert.deepEqual([...pagesOf(p, 1)].slice(0, 2), [334, 335]);
});

test('slices are dealt round-robin', () => {
  const p: Plan = { ...plan(0, 0, 2, 'contiguous'), pages: undefined, slices: { param: 'y', values: ['a', 'b', 'c'] } };
  assert.deepEqual(slicesOf(p, 0), [0, 2]);
  assert.deepEqual(slicesOf(p, 1), [1]);
});
