import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasRetryAfter, parseResetValue, parseRetryAfterValue, retryAfterMs } from './retry-after.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const opts = { nowMs: NOW, maxRetryAfterMs: 120_000 };

describe('parseRetryAfterValue', () => {
  it('reads delta-seconds', () => {
    assert.equal(parseRetryAfterValue('1', NOW), 1000);
    assert.equal(parseRetryAfterValue(' 120 ', NOW), 120_000);
    assert.equal(parseRetryAfterValue('0', NOW), 0);
    assert.equal(parseRetryAfterValue('1.5', NOW), 1500);
  });
  it('reads HTTP-dates relative to now', () => {
    assert.equal(parseRetryAfterValue('Wed, 01 May 2024 12:00:30 GMT', NOW), 30_000);
    assert.equal(parseRetryAfterValue('Wed, 01 May 2024 11:59:00 GMT', NOW), 0); // in the past
  });
  it('rejects garbage', () => {
    for (const v of ['', 'soon', '-5', '1e3', 'NaN']) assert.equal(parseRetryAfterValue(v, NOW), undefined, v);
  });
});

describe('parseResetValue', () => {
  it('reads delta seconds and epoch seconds', () => {
    assert.equal(parseResetValue('7', NOW), 7000);
    assert.equal(parseResetValue(String(NOW / 1000 + 45), NOW), 45_000);
    assert.equal(parseResetValue(String(NOW / 1000 - 45), NOW), 0);
    assert.equal(parseResetValue('x', NOW), undefined);
  });
});

describe('retryAfterMs', () => {
  it('prefers Retry-After and clamps to maxRetryAfterMs', () => {
    assert.equal(retryAfterMs({ 'retry-after': '1', 'ratelimit-reset': '9' }, { ...opts, useResetHeaders: true }), 1000);
    assert.equal(retryAfterMs({ 'retry-after': '86400' }, opts), 120_000);
    assert.equal(retryAfterMs({ 'retry-after': 'Thu, 02 May 2024 12:00:00 GMT' }, opts), 120_000);
    assert.equal(retryAfterMs({ 'retry-after': ['2', '5'] }, opts), 2000);
  });
  it('falls back to RateLimit-Reset, then X-RateLimit-Reset, only when asked', () => {
    assert.equal(retryAfterMs({ 'ratelimit-reset': '3' }, opts), undefined);
    assert.equal(retryAfterMs({ 'ratelimit-reset': '3' }, { ...opts, useResetHeaders: true }), 3000);
    const epoch = String(NOW / 1000 + 10);
    assert.equal(retryAfterMs({ 'x-ratelimit-reset': epoch }, { ...opts, useResetHeaders: true }), 10_000);
    assert.equal(retryAfterMs({ 'x-ratelimit-reset': '999' }, { ...opts, useResetHeaders: true }), 120_000);
  });
  it('ignores unparseable values', () => {
    assert.equal(retryAfterMs({ 'retry-after': 'later' }, opts), undefined);
    assert.equal(retryAfterMs({}, { ...opts, useResetHeaders: true }), undefined);
  });
  it('hasRetryAfter', () => {
    assert.equal(hasRetryAfter({ 'retry-after': '3' }, NOW), true);
    assert.equal(hasRetryAfter({ 'retry-after': 'x' }, NOW), false);
    assert.equal(hasRetryAfter({}, NOW), false);
  });
});
