import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LEDGER_PUT_RETRY } from './constants.js';
import { ledgerRetryDelay } from './retry-delay.js';

test('ledgerRetryDelay is half the capped ceiling plus jitter over the other half', () => {
  const opts = { minDelayMs: 1_000, maxDelayMs: 4_000 };
  assert.equal(ledgerRetryDelay(0, opts, () => 0), 500);
  assert.equal(ledgerRetryDelay(0, opts, () => 0.999), 999);
  assert.equal(ledgerRetryDelay(1, opts, () => 0.5), 1_500);
  assert.equal(ledgerRetryDelay(2, opts, () => 0), 2_000);
  assert.equal(ledgerRetryDelay(9, opts, () => 0.999), 3_998, 'capped at maxDelayMs');
});

test('the default policy spends between about 5.5 and 11 s on its retries', () => {
  const total = (r: number) =>
    Array.from({ length: LEDGER_PUT_RETRY.attempts - 1 }, (_, i) => ledgerRetryDelay(i, LEDGER_PUT_RETRY, () => r)).reduce((a, b) => a + b);
  assert.equal(total(0), 5_500);
  assert.ok(total(0.999) <= 11_000 && total(0.999) > 10_900);
});
