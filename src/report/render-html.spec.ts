import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byteTicks, niceTicks } from './svg-axes.js';
import { escapeHtml } from './escape.js';
import { renderReportHtml } from './render-html.js';
import type { ReportData } from './types.js';

const EVIL = `<script>alert("x")</script>&'`;

const data: ReportData = {
  runId: EVIL, dataset: 'd', style: 'page', sourceUrl: 'http://127.0.0.1:1/a?x=<b>', landing: '/tmp/l', startedAt: '2026-01-01T00:00:00.000Z',
  spanSeconds: 10, generatedAt: '2026-01-01T00:01:00.000Z', complete: false, outcome: `INCOMPLETE: ${EVIL}`,
  totals: { planned: 2, landed: 1, failed: 1, missing: 0 }, records: 10, problems: [EVIL], notes: [], bucketSeconds: 1,
  pagesPerSecond: [{ name: EVIL, points: [[0.5, 1], [1.5, 2]] }], requestsPerSecond: { name: 'requests/s', points: [[0.5, 3]] }, rateLimit: 20,
  filesLanded: [], bytesLanded: [], latency: [{ upToMs: 10, label: '≤ 10 ms', count: 2 }], latencyQuantiles: { p50: 1, p90: 2, p99: 3, max: 4 },
  attempts: 2, failures: [{ errorClass: EVIL, httpStatus: 400, retries: 1, failedPages: 1, example: EVIL }],
  slowest: [{ page: 1, slice: EVIL, executor: 0, durationMs: 100, attempt: 1 }],
  executors: [{ executor: 0, planned: 2, landed: 1, failed: 1, missing: 0, taken: 0, fetched: 1, sessions: [{ session: EVIL, host: EVIL, pid: 1, from: 0, to: 9, ended: true }] }],
};

test('every string from the data is escaped: no markup of its own reaches the page', () => {
  const html = renderReportHtml(data);
  assert.ok(!html.includes('<script'), 'no script element, not even an injected one');
  assert.ok(!html.includes(`"x")`), 'quotes are escaped');
  assert.ok(html.includes(escapeHtml(EVIL)));
  assert.ok(html.includes('a?x=&lt;b&gt;'));
  assert.match(html, /<p id="outcome" class="outcome incomplete">INCOMPLETE: &lt;script&gt;/);
});

test('the page is self-contained: a policy that forbids fetching, and no resource reference', () => {
  const html = renderReportHtml(data);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
  assert.doesNotMatch(html, /\b(src|href)\s*=/);
  assert.deepEqual(html.match(/https?:\/\/[^\s<"]*/g), ['http://127.0.0.1:1/a?x=&lt;b&gt;'], 'the API URL, as text, is the only URL');
});

test('axis ticks are round and cover the maximum', () => {
  assert.deepEqual(niceTicks(9), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(niceTicks(0), [0, 1]);
  assert.deepEqual(byteTicks(3 * 1024 * 1024), [0, 1, 2, 3].map((v) => v * 1024 * 1024));
  assert.deepEqual(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});
