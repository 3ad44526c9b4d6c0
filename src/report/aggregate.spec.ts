import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunStatus } from '../ledger/status.js';
import type { LedgerEntry } from '../ledger/types.js';
import type { Plan } from '../plan/types.js';
import { buildReportData, failureRows, latencyHistogram, quantiles, slowestPages, timeSpan } from './aggregate.js';
import type { ReportInput } from './types.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const line = (page: number, status: LedgerEntry['status'], extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
  run_id: 'r', dataset: 'd', executor: 0, page, attempt: 1, status, started_at: at(page), duration_ms: 100, ...extra,
});

const status: RunStatus = {
  run_id: 'r', computed_at: at(99), dataset: 'd', complete: false,
  executors: [
    { executor: 0, planned: 3, landed: 2, failed: 1, missing: 0, taken: 0, sessions: [{ session: 'e000-aaaaaa', host: 'h', pid: 1, started_at: at(0), last_seen: at(10), ended: true }] },
    { executor: 1, planned: 2, landed: 2, failed: 0, missing: 0, taken: 1, sessions: [{ session: 'e001-bbbbbb', host: 'h', pid: 2, started_at: at(1), last_seen: at(8), ended: false }] },
  ],
  totals: { planned: 5, landed: 4, failed: 1, missing: 0 },
  records: 40, records_by_format: { ndjson: 40 }, failures: { 'CLIENT_ERROR 400': 1 }, problems: [], notes: [], unreachable_records: 0,
  reconcile: { orphan_files: [], duplicate_pages: 0, stale_commits: 0, mismatched_files: [], missing_markers: 0, stray_markers: [], ledger_landed_without_file: 0, partially_landed: 0, records_verified: true },
};

test('failures: retries from the ledger, failed pages from status, an example each (a failed attempt first)', () => {
  const rows = failureRows(
    [
      line(1, 'retrying', { error_class: 'THROTTLING', http_status: 429, error: 'HTTP 429: slow down' }),
      line(1, 'retrying', { error_class: 'THROTTLING', http_status: 429, error: 'HTTP 429: again' }),
      line(2, 'retrying', { error_class: 'CLIENT_ERROR', http_status: 400, error: 'retried 400' }),
      line(2, 'failed', { error_class: 'CLIENT_ERROR', http_status: 400, error: 'HTTP 400: Invalid page' }),
      line(3, 'retrying', { error_class: 'CLIENT_ERROR', http_status: 400, error: 'a later retry' }),
      line(1, 'landed'),
    ],
    { 'CLIENT_ERROR 400': 1, 'TIMEOUT': 2 },
  );
  assert.deepEqual(rows, [
    { errorClass: 'TIMEOUT', httpStatus: undefined, retries: 0, failedPages: 2, example: '' },
    { errorClass: 'CLIENT_ERROR', httpStatus: 400, retries: 2, failedPages: 1, example: 'HTTP 400: Invalid page' },
    { errorClass: 'THROTTLING', httpStatus: 429, retries: 2, failedPages: 0, example: 'HTTP 429: again' },
  ]);
});

test('latency: every attempt in one bin, quantiles from the sorted values', () => {
  const bins = latencyHistogram([5, 10, 11, 400, 40_000]);
  assert.equal(bins.reduce((n, b) => n + b.count, 0), 5);
  assert.equal(bins[0].count, 2, '≤ 10 ms holds 5 and 10');
  assert.equal(bins[0].label, '≤ 10 ms');
  assert.equal(bins.at(-1)!.label, '> 30 s');
  assert.equal(bins.at(-1)!.count, 1);
  assert.deepEqual(quantiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), { p50: 5, p90: 9, p99: 10, max: 10 });
  assert.deepEqual(quantiles([]), { p50: 0, p90: 0, p99: 0, max: 0 });
});

test('slowest pages: a page landed twice counts once, with its slower attempt', () => {
  const slow = slowestPages([line(1, 'landed', { duration_ms: 50 }), line(1, 'landed', { duration_ms: 900, attempt: 2 }), line(2, 'landed', { duration_ms: 300 })]);
  assert.deepEqual(slow.map((p) => [p.page, p.durationMs, p.attempt]), [[1, 900, 2], [2, 300, 1]]);
  const sliced = slowestPages([line(4 * 10_000_000 + 5, 'landed', { slice: '1990-01-01..1999-12-31' })]);
  assert.deepEqual([sliced[0].page, sliced[0].slice], [5, '1990-01-01..1999-12-31'], "a slice's page as the API numbers it");
});

test('the whole report: time from the first event, series per executor and format, outcome from status', () => {
  const input: ReportInput = {
    plan: { run_id: 'r', dataset: 'd', style: 'page', created_at: at(0) } as Plan,
    status,
    ledger: [line(1, 'landed'), line(2, 'landed', { executor: 1 }), line(3, 'retrying', { error_class: 'SERVER_ERROR', http_status: 500 }), line(3, 'failed', { error_class: 'CLIENT_ERROR', http_status: 400 })],
    sessions: [{ session: 'e000-aaaaaa', executor: 0, host: 'h', pid: 1, started_at: at(0), beat_at: at(10), beat: 3, lease_ms: 10_000, ended_at: at(10) }],
    commits: [
      { format: 'ndjson', file: 'a', bytes: 100, records: 10, pages: 1, at: at(2), executor: 0 },
      { format: 'ndjson', file: 'b', bytes: 50, records: 10, pages: 1, at: at(6), executor: 1 },
    ],
    rateLimit: 20,
    sourceUrl: 'http://127.0.0.1:1/x',
    landing: '/tmp/l',
  };
  assert.deepEqual(timeSpan(input), { t0: T0, span: 10 });
  const d = buildReportData(input, new Date(T0 + 60_000));
  assert.equal(d.outcome, 'INCOMPLETE: 1 failed, 0 missing of 5 pages (CLIENT_ERROR 400: 1)');
  assert.equal(d.bucketSeconds, 1);
  assert.deepEqual(d.pagesPerSecond.map((s) => s.name), ['executor 0', 'executor 1']);
  assert.equal(d.pagesPerSecond[0].points.reduce((n, [, v]) => n + v, 0), 1, 'one page landed by executor 0');
  assert.equal(d.requestsPerSecond.points.reduce((n, [, v]) => n + v, 0), 4, 'every attempt is a request');
  assert.deepEqual(d.bytesLanded[0].points.at(-1), [10, 150]);
  assert.deepEqual(d.filesLanded[0].points.at(-1), [10, 2]);
  assert.deepEqual(d.executors[1].sessions, [{ session: 'e001-bbbbbb', host: 'h', pid: 2, from: 1, to: 8, ended: false }]);
  assert.equal(d.executors[1].taken, 1);
  assert.equal(d.attempts, 4);
});
