import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockCount, blockOfPage, blocksOf, defaultBlockPages, homeOf, pageCountOf, pagesOfBlock } from './partition.js';
import type { Plan } from './types.js';

const plan = (first: number, last: number, executors: number, partitioning: Plan['partitioning'], blockPages = 3): Plan => ({
  version: 2, dataset: 'd', run_id: 'r', created_at: '', ingest_date: '2026-01-01', executors, style: 'page', partitioning,
  pages: { first, last }, block_pages: blockPages,
});

for (const partitioning of ['contiguous', 'stride'] as const) {
  test(`${partitioning}: every page is in exactly one block, every block has exactly one home, and homeOf agrees`, () => {
    for (const [first, last, n, size] of [[1, 500, 3, 7], [0, 9, 4, 1], [1, 2, 5, 3], [1, 0, 3, 2], [7, 7, 1, 4], [1, 100, 7, 4]] as const) {
      const p = plan(first, last, n, partitioning, size);
      const seen = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        let pages = 0;
        for (const b of blocksOf(p, i)) {
          assert.equal(homeOf(p, b), i);
          for (const page of pagesOfBlock(p, b)) {
            assert.ok(!seen.has(page), `page ${page} twice`);
            assert.equal(blockOfPage(p, page), b);
            seen.set(page, b);
            pages++;
          }
        }
        assert.equal(pages, pageCountOf(p, i));
      }
      assert.equal(seen.size, Math.max(0, last - first + 1));
      assert.equal(new Set(seen.values()).size, blockCount(p));
    }
  });
}

test('contiguous: each executor gets a run of consecutive blocks, sizes differ by at most one block', () => {
  const p = plan(1, 1000, 3, 'contiguous', 10);
  assert.deepEqual(blocksOf(p, 1).slice(0, 2), [33, 34]);
  const sizes = [0, 1, 2].map((i) => blocksOf(p, i).length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
});

test('chains: one block per slice, dealt round-robin', () => {
  const p: Plan = { ...plan(0, 0, 2, 'contiguous'), pages: undefined, block_pages: undefined, slices: { param: 'y', values: ['a', 'b', 'c'] } };
  assert.deepEqual(blocksOf(p, 0), [0, 2]);
  assert.deepEqual(blocksOf(p, 1), [1]);
  assert.equal(blockOfPage(p, 2 * 10_000_000 + 5), 2);
});

test('default block size: about four blocks per executor, at least 1 page, at most 1,000', () => {
  assert.equal(defaultBlockPages(2000, 2), 250);
  assert.equal(defaultBlockPages(3, 8), 1);
  assert.equal(defaultBlockPages(10_000_000, 1), 1000);
});
