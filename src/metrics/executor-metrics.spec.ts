import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newStats } from '../executor/stats.js';
import type { AttemptReport } from '../http/types.js';
import { ExecutorMetrics } from './executor-metrics.js';
import { renderExposition } from './exposition.js';

const attempt = (r: Partial<AttemptReport>): AttemptReport => ({ attempt: 1, url: 'u', status: 'ok', startedAt: 0, durationMs: 40, ...r });

describe('ExecutorMetrics', () => {
  it('counts attempts by status, retries by class, in-flight attempts and latency, under the executor label', () => {
    const m = new ExecutorMetrics(3, () => ({ currentRate: 2.5, share: 5 }));
    m.attemptStarted();
    m.attemptStarted();
    m.attemptStarted();
    m.attemptEnded(attempt({ status: 'retrying', httpStatus: 429, errorClass: 'THROTTLING', durationMs: 5 }));
    m.attemptEnded(attempt({ status: 'retrying', errorClass: 'TRANSIENT', durationMs: 2000 }));
    const text = renderExposition(m.families());
    assert.match(text, /^pagefleet_http_requests_in_flight\{executor="3"\} 1$/m);
    assert.match(text, /^pagefleet_http_requests_total\{executor="3",code="429"\} 1$/m);
    assert.match(text, /^pagefleet_http_requests_total\{executor="3",code="none"\} 1$/m);
    assert.match(text, /^pagefleet_http_retries_total\{executor="3",error_class="THROTTLING"\} 1$/m);
    assert.match(text, /^pagefleet_http_retries_total\{executor="3",error_class="TRANSIENT"\} 1$/m);
    assert.match(text, /^pagefleet_http_request_duration_seconds_bucket\{executor="3",le="0.005"\} 1$/m);
    assert.match(text, /^pagefleet_http_request_duration_seconds_bucket\{executor="3",le="2.5"\} 2$/m);
    assert.match(text, /^pagefleet_http_request_duration_seconds_count\{executor="3"\} 2$/m);
    assert.match(text, /^pagefleet_rate_limit_requests_per_second\{executor="3"\} 2.5$/m);
    assert.match(text, /^pagefleet_rate_share_requests_per_second\{executor="3"\} 5$/m);
  });

  it('an aborted attempt leaves the in-flight gauge and counts nothing else', () => {
    const m = new ExecutorMetrics(0, () => undefined);
    m.attemptStarted();
    m.attemptEnded(undefined);
    const text = renderExposition(m.families());
    assert.match(text, /^pagefleet_http_requests_in_flight\{executor="0"\} 0$/m);
    assert.doesNotMatch(text, /pagefleet_http_requests_total\{/);
  });

  it("reads the page counters from the executor's live stats at each snapshot", () => {
    const m = new ExecutorMetrics(1, () => undefined);
    const stats = newStats(1, 0);
    m.track(stats);
    stats.pagesPlanned = 10;
    stats.pagesFetched = 7;
    stats.pagesLanded = 4;
    stats.pagesFailed = 1;
    stats.records = 80;
    stats.bytes = 1234;
    stats.files = 2;
    let text = renderExposition(m.families());
    for (const [name, v] of [
      ['pagefleet_pages_planned', 10],
      ['pagefleet_pages_fetched_total', 7],
      ['pagefleet_pages_landed_total', 4],
      ['pagefleet_pages_failed_total', 1],
      ['pagefleet_records_landed_total', 80],
      ['pagefleet_landed_bytes_total', 1234],
      ['pagefleet_files_landed_total', 2],
    ] as const) {
      assert.match(text, new RegExp(`^${name}\\{executor="1"\\} ${v}$`, 'm'));
    }
    stats.pagesLanded = 7;
    text = renderExposition(m.families());
    assert.match(text, /^pagefleet_pages_landed_total\{executor="1"\} 7$/m);
  });
});
