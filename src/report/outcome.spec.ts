import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunStatus } from '../ledger/status.js';
import { count, outcomeLine } from './outcome.js';

const base = { totals: { planned: 1200, landed: 1200, failed: 0, missing: 0 }, records: 24000, failures: {}, problems: [], complete: true } as unknown as RunStatus;

test("the outcome is status's complete flag and its reasons", () => {
  assert.equal(outcomeLine(base), 'COMPLETE: all 1,200 pages landed in every format, 24,000 records');
  assert.equal(
    outcomeLine({ ...base, complete: false, totals: { planned: 60, landed: 53, failed: 5, missing: 2 }, failures: { 'SERVER_ERROR 503': 1, 'CLIENT_ERROR 400': 4 } }),
    'INCOMPLETE: 5 failed, 2 missing of 60 pages (CLIENT_ERROR 400: 4, SERVER_ERROR 503: 1)',
  );
  assert.equal(
    outcomeLine({ ...base, complete: false, problems: ['2 data files are not committed (x)', 'another'] }),
    'INCOMPLETE: 2 problems: 2 data files are not committed (x) …',
  );
  assert.equal(count(1234567), '1,234,567');
  assert.equal(count(999), '999');
});
