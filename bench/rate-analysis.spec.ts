import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogEntry } from './page-server-paths.js';
import { maxInWindow, rateReport } from './rate-analysis.js';

test('maxInWindow counts arrivals in half-open windows', () => {
  assert.equal(maxInWindow([], 1000), 0);
  assert.equal(maxInWindow([0, 999, 1000, 1001, 1500], 1000), 4); // [999, 1999) holds 999, 1000, 1001, 1500
  assert.equal(maxInWindow([0, 1000, 2000], 1000), 1);
  assert.equal(maxInWindow([5, 5, 5], 1), 3);
});

test('rateReport: share of the limit from 200s over the first-to-last span, 429s counted apart', () => {
  // 11 requests 100 ms apart over 1 s, one of them refused, against a limit of 10/s
  const log: LogEntry[] = Array.from({ length: 11 }, (_, i) => [1_000 + 100 * i, i + 1, i === 5 ? 429 : 200]);
  const r = rateReport(log.reverse(), 10);
  assert.equal(r.requests, 11);
  assert.equal(r.ok, 10);
  assert.equal(r.throttled, 1);
  assert.equal(r.spanS, 1);
  assert.equal(r.shareOfLimit, 1);
  assert.equal(r.maxInWindow, 10);
});

test('rateReport of a log with one request uses nothing and does not divide by zero', () => {
  const r = rateReport([[5, 1, 200]], 10);
  assert.equal(r.shareOfLimit, 0);
  assert.equal(r.maxInWindow, 1);
});
