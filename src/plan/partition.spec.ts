import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockCount, blockOfPage, blocksOf, defaultBlockPages, defaultBlockTail, homeOf, othersBlocks, pageCountOf, pagesOfBlock, tailSizes } from './partition.js';
import type { Plan } from './types.js';

const plan = (first: number, last: number, executors: number, partitioning: Plan['partitioning'], blockPages = 3, blockTail?: number): Plan => ({
  version: 2, dataset: 'd', run_id: 'r', created_at: '', ingest_date: '2026-01-01', executors, style: 'page', partitioning,
  pages: { first, last }, block_pages: blockPages, ...(blockTail === undefined ? {} : { block_tail: blockTail }),
});

for (const [partitioning, tapered] of [['contiguous', false], ['stride', false], ['contiguous', true]] as const) {
  test(`${partitioning}${tapered ? ' with a tapered tail' : ''}: every page is in exactly one block, every block has exactly one home, and homeOf agrees`, () => {
    for (const [first, last, n, size] of [[1, 500, 3, 7], [0, 9, 4, 1], [1, 2, 5, 3], [1, 0, 3, 2], [7, 7, 1, 4], [1, 100, 7, 4], [1, 2000, 2, 250], [1, 4000, 64, 16]] as const) {
      const p = plan(first, last, n, partitioning, size, tapered ? defaultBlockTail(size) : undefined);
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

test("tapered: an executor's run ends in halving blocks, block ids follow page order, and thieves take the small ones first", () => {
  assert.deepEqual(tailSizes(1000, 250, 32), [244, 250, 250, 128, 64, 32, 32]);
  assert.deepEqual(tailSizes(62, 16, 2), [14, 16, 16, 8, 4, 2, 2]);
  assert.deepEqual(tailSizes(5, 250, 32), [5]);
  assert.deepEqual(tailSizes(40, 250, 32), [8, 32]);
  assert.deepEqual(tailSizes(7, 1, 1), [1, 1, 1, 1, 1, 1, 1]);
  const p = plan(1, 2000, 2, 'contiguous', 250, 32);
  assert.deepEqual(blocksOf(p, 1).map((b) => pagesOfBlock(p, b).length), [244, 250, 250, 128, 64, 32, 32]);
  assert.deepEqual(pagesOfBlock(p, 7).slice(0, 2), [1001, 1002]);
  assert.deepEqual(othersBlocks(p, 0).slice(0, 3).map((b) => pagesOfBlock(p, b).length), [32, 32, 64]);
  // a plan from before block_tail keeps its blocks of one size
  assert.deepEqual(blocksOf(plan(1, 2000, 2, 'contiguous', 250), 1).map((b) => pagesOfBlock(plan(1, 2000, 2, 'contiguous', 250), b).length), [250, 250, 250, 250]);
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
