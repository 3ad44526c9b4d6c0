import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../errors.js';
import { specFromObject, type SpecOverrides } from './load.js';

const job = (limits?: Record<string, unknown>) => ({
  dataset: 'movies',
  source: { url: 'https://api.example.com/movies', records: 'results' },
  pagination: { page: { total_pages: 'total_pages' } },
  ...(limits ? { limits } : {}),
});
const limitsOf = (limits?: Record<string, unknown>, overrides: SpecOverrides = {}) => specFromObject(job(limits), overrides, {}).limits;

/** The one line the CLI prints, after `pagefleet: `. */
function errorLine(limits: Record<string, unknown>, overrides: SpecOverrides = {}): string {
  try {
    limitsOf(limits, overrides);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    assert.ok(!err.message.includes('\n'));
    return err.message;
  }
  assert.fail('expected a ConfigError');
}

test('every bound has a default', () => {
  const l = limitsOf();
  assert.equal(l.concurrency, 8);
  assert.equal(l.maxBodyBytes, 64 * 1024 * 1024);
  assert.equal(l.attemptDeadlineMs, 120_000);
  assert.equal(l.maxSeenCursors, 100_000);
});

test('limits.concurrency: at most 256', () => {
  assert.equal(limitsOf({ concurrency: 256 }).concurrency, 256);
  assert.equal(errorLine({ concurrency: 1000 }), 'limits.concurrency: expected at most 256, got 1000');
  assert.equal(errorLine({}, { concurrency: '257' }), 'limits.concurrency: expected at most 256, got 257');
  assert.equal(errorLine({ concurrency: 0 }), 'limits.concurrency: expected more than 0, got 0');
});

test('limits.max_body: a size, at most 1GiB', () => {
  assert.equal(limitsOf({ max_body: '1KiB' }).maxBodyBytes, 1024);
  assert.equal(limitsOf({ max_body: '1GiB' }).maxBodyBytes, 1024 ** 3);
  assert.equal(errorLine({ max_body: '2GiB' }), 'limits.max_body: expected at most 1GiB, got 2GiB');
  assert.match(errorLine({ max_body: 'big' }), /^limits\.max_body: expected a size such as 64MiB/);
});

test('limits.deadline: at least limits.timeout, at most 1h; unset it follows a longer timeout', () => {
  assert.equal(limitsOf({ deadline: '2s', timeout: '1s' }).attemptDeadlineMs, 2000);
  assert.equal(limitsOf({ deadline: '1h' }).attemptDeadlineMs, 3_600_000);
  assert.equal(limitsOf({ timeout: '5m' }).attemptDeadlineMs, 300_000);
  assert.equal(errorLine({ deadline: '2h' }), 'limits.deadline: expected at most 1h, got 2h');
  assert.equal(errorLine({ deadline: '1s', timeout: '5s' }), 'limits.deadline: expected at least limits.timeout (5s), got 1s');
  assert.equal(errorLine({ deadline: '10s' }, { timeout: '20s' }), 'limits.deadline: expected at least limits.timeout (20s), got 10s');
  assert.match(errorLine({ deadline: 'soon' }), /^limits\.deadline: expected a duration/);
});

test('limits.max_seen_cursors: at most 10000000', () => {
  assert.equal(limitsOf({ max_seen_cursors: 50 }).maxSeenCursors, 50);
  assert.equal(errorLine({ max_seen_cursors: 20_000_000 }), 'limits.max_seen_cursors: expected at most 10000000, got 20000000');
});

test('limits.rate is checked here, once', () => {
  assert.equal(errorLine({ rate: 0 }), 'limits.rate: expected more than 0, got 0');
  assert.equal(errorLine({}, { rate: '-2' }), 'limits.rate: expected more than 0, got -2');
});
