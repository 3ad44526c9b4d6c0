import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BlockEntry, BlockLogs, CommitEntry } from './block-log.js';
import { chainProgress, formatsNeeding, indexRun, landedEverywhere, reindexBlock } from './landed-index.js';

const commit = (format: 'parquet' | 'ndjson', file: string, pages: number[], extra: Partial<CommitEntry> = {}): CommitEntry => ({
  kind: 'commit', session: 'e000-aaaaaa', executor: 0, format, file, pages, records: pages.length * 10, bytes: 100, at: '', ...extra,
});
const claim: BlockEntry = { kind: 'claim', session: 'e000-aaaaaa', executor: 0, at: '' };
const files = (...keys: [string, number][]) => new Map(keys);

test('a page has landed when a valid commit names it and its file exists; the rest are findings', () => {
  const logs: BlockLogs = new Map([
    [0, [claim, commit('ndjson', 'a', [1, 2]), commit('parquet', 'p', [1, 2]), commit('ndjson', 'gone', [3])]],
    [1, [claim, commit('ndjson', 'b', [4, 2]), commit('ndjson', 'voided', [5]), { kind: 'void', file: 'voided', reason: 'r', at: '' }]],
  ]);
  const index = indexRun(['parquet', 'ndjson'], logs, new Map([
    ['ndjson', files(['a', 100], ['b', 99], ['voided', 100], ['stray', 5])],
    ['parquet', files(['p', 100])],
  ]));
  assert.deepEqual(landedEverywhere(index, 1), ['p', 'a']);
  assert.equal(landedEverywhere(index, 4), undefined, 'in ndjson only');
  assert.deepEqual(formatsNeeding(index, 4), ['parquet']);
  assert.deepEqual(formatsNeeding(index, 3), ['parquet', 'ndjson'], 'its file is missing');
  assert.deepEqual(index.missingFiles, ['gone']);
  assert.deepEqual(index.duplicates, [{ page: 2, format: 'ndjson', files: ['a', 'b'] }]);
  assert.deepEqual(index.sizeMismatches, [{ file: 'b', committed: 100, actual: 99 }]);
  assert.deepEqual(index.orphans.sort(), ['stray', 'voided']);
  assert.equal(index.holders.get(1)?.session, 'e000-aaaaaa');
});

test('a chain resumes after its longest landed prefix, with the cursors it has seen', () => {
  const base = 2 * 10_000_000;
  const logs: BlockLogs = new Map([[2, [claim,
    commit('ndjson', 'c1', [base, base + 1], { next: ['u1', 'u2'], cursors: ['h0', 'h1'] }),
    commit('ndjson', 'c2', [base + 3], { next: [null], cursors: ['h3'] }),
  ]]]);
  const index = indexRun(['ndjson'], logs, new Map([['ndjson', files(['c1', 100], ['c2', 100])]]));
  assert.deepEqual(chainProgress(index, base), { position: 2, done: false, next: 'u2', cursors: ['h0', 'h1'] });
  const ended = indexRun(['ndjson'], new Map([[0, [claim, commit('ndjson', 'c', [0], { next: [null], cursors: ['h'] })]]]), new Map([['ndjson', files(['c', 100])]]));
  assert.deepEqual(chainProgress(ended, 0), { position: 1, done: true, cursors: ['h'] });
});

test("re-indexing one block gives what a full index gives for that block's pages, and leaves the others alone", () => {
  const other: BlockEntry = { kind: 'claim', session: 'e001-bbbbbb', executor: 1, at: '', took_from: 'e000-aaaaaa' };
  const before: BlockLogs = new Map([
    [0, [claim, commit('ndjson', 'a', [1, 2])]],
    [1, [claim, commit('ndjson', 'b', [4, 5]), commit('ndjson', 'b2', [6])]],
  ]);
  const allFiles = new Map([['ndjson' as const, files(['a', 100], ['b', 100], ['b2', 100])]]);
  const index = indexRun(['ndjson'], before, allFiles);
  // block 1 is taken over: b2 is voided, c re-lands page 6 and lands 7 (its file turned up since)
  const moved: BlockEntry[] = [...before.get(1)!, { ...other, voids: ['b2'] }, commit('ndjson', 'c', [6, 7], { session: 'e001-bbbbbb' })];
  allFiles.get('ndjson')!.set('c', 100);
  reindexBlock(index, 1, moved, allFiles);
  const full = indexRun(['ndjson'], new Map([...before, [1, moved]]), allFiles);
  assert.deepEqual(index.landed, full.landed);
  assert.deepEqual(index.commits.map((c) => c.file).sort(), full.commits.map((c) => c.file).sort());
  assert.deepEqual(index.holders, full.holders);
  assert.equal(landedEverywhere(index, 6)?.[0], 'c');
  assert.deepEqual(landedEverywhere(index, 1), ['a'], 'block 0 untouched');
});
