import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newStats } from '../executor/stats.js';
import { formatDuration, formatProgressLine, progressView, type ProgressView } from './progress-line.js';

const view = (v: Partial<ProgressView>): ProgressView => ({ planned: 100, alreadyLanded: 0, fetched: 0, landed: 0, records: 0, retries: 0, failed: 0, elapsedMs: 10_000, ...v });

describe('progressView', () => {
  it("sums the executors' stats", () => {
    const a = { ...newStats(0, 0), pagesPlanned: 50, pagesFetched: 20, pagesLanded: 10, records: 200, retries: 2, pagesFailed: 1 };
    const b = { ...newStats(1, 0), pagesPlanned: 50, pagesAlreadyLanded: 5, pagesFetched: 3, pagesLanded: 3, records: 60 };
    assert.deepEqual(progressView([a, b], 1000), { planned: 100, alreadyLanded: 5, fetched: 23, landed: 13, records: 260, retries: 2, failed: 1, elapsedMs: 1000 });
  });
});

describe('formatProgressLine', () => {
  it('shows pages fetched and landed, records, rate, retries, failures and the ETA', () => {
    const line = formatProgressLine(view({ fetched: 40, landed: 20, records: 400, retries: 3, failed: 1 }));
    assert.match(line, /\| fetched 40\/100 \| landed 20\/100 \| 400 records \| 4\.0 pages\/s \| 3 retries \| 1 failed \| ETA 15s$/);
    assert.match(line, / 20% \|/);
  });

  it('draws landed pages full, fetched ones shaded, the rest light', () => {
    const bar = formatProgressLine(view({ fetched: 50, landed: 20 })).trim().split(' ')[0];
    assert.equal(bar, '█'.repeat(6) + '▒'.repeat(9) + '░'.repeat(15));
  });

  it('counts pages landed before a resume as done', () => {
    const line = formatProgressLine(view({ alreadyLanded: 60, fetched: 40, landed: 40 }));
    assert.match(line, /^ █{30} 100% \| fetched 100\/100 \| landed 100\/100 /);
    assert.match(line, /ETA 0s$/);
  });

  it('has no ETA before any page is planned or fetched', () => {
    assert.match(formatProgressLine(view({ planned: 0 })), /ETA --$/);
    assert.match(formatProgressLine(view({})), /ETA --$/);
  });

  it('is never wider than the terminal', () => {
    assert.equal(formatProgressLine(view({ fetched: 5 }), 40).length, 39);
  });
});

describe('formatDuration', () => {
  it('uses s, m and h', () => {
    assert.equal(formatDuration(42), '42s');
    assert.equal(formatDuration(65), '1m05s');
    assert.equal(formatDuration(7380), '2h03m');
  });
});
