import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BlockEntry, BlockLogs, CommitEntry } from './block-log.js';
import { chainProgress, formatsNeeding, indexRun, landedEverywhere } from './landed-index.js';

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
