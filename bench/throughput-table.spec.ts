import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitPages } from './bare-fetcher.js';
import type { Case, Sample } from './throughput-cases.js';
import { exactlyOnce, median, throughputTable } from './throughput-table.js';

const sample = (pagesPerS: number, count = 100, distinct = count): Sample => ({
  wallS: 1,
  pagesPerS,
  cpuS: 2,
  maxRssMiB: 50,
  maxRequestGapMs: 10,
  readBack: [{ output: 'ndjson', count, distinct }],
});
const fakeCase = (name: string, extra: Partial<Case> = {}): Case => ({ name, run: async () => sample(0), ...extra });

test('median of odd and even counts', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('exactlyOnce needs every output of every run to hold each record once', () => {
  assert.equal(exactlyOnce([sample(1), sample(1)], 100), true);
  assert.equal(exactlyOnce([sample(1), sample(1, 101, 100)], 100), false); // a duplicate
  assert.equal(exactlyOnce([sample(1, 100, 99)], 100), false); // a duplicate and a lost record
  assert.equal(exactlyOnce([sample(1, 99)], 100), false); // a lost record
  assert.equal(exactlyOnce([{ ...sample(1), readBack: [] }], 100), false); // nothing read back
});

test('the table gives ratios to the seed and to the bare fetcher at the same gzip level', () => {
  const table = throughputTable(
    [
      { case: fakeCase('seed'), samples: [sample(100), sample(120), sample(80)] },
      { case: fakeCase('bare 6', { gzipLevel: 6, isBareAt: 6 }), samples: [sample(400)] },
      { case: fakeCase('tool', { gzipLevel: 6 }), samples: [sample(300, 99)] },
    ],
    1000,
    100,
  );
  const rows = table.split('\n');
  assert.equal(rows.length, 5);
  assert.match(rows[2], /^\| seed \| 100 \| 80–120 \| 1\.00× \|/);
  assert.match(rows[4], /^\| tool \| 300 \| 300–300 \| 3\.00× \| 75% \(gzip 6\) \| 50 \| 2\.00 \| 10 \/ n\/a \| \*\*NO\*\*/);
});

test('splitPages cuts 1..N into contiguous ranges that cover every page once', () => {
  assert.deepEqual(splitPages(2000, 2), [[1, 1000], [1001, 2000]]);
  assert.deepEqual(splitPages(5, 2), [[1, 2], [3, 5]]);
  assert.deepEqual(splitPages(1, 2), [[1, 1]]);
});
