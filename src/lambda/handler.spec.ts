import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../errors.js';
import { handler, marginMs } from './handler.js';

const ctx = (left: number) => ({ getRemainingTimeInMillis: () => left });

test('default margin: max(10 s, 10% of the time left); PAGEFLEET_LAMBDA_MARGIN_MS wins', () => {
  assert.equal(marginMs(ctx(60_000), {}), 10_000);
  assert.equal(marginMs(ctx(900_000), {}), 90_000);
  assert.equal(marginMs(ctx(900_000), { PAGEFLEET_LAMBDA_MARGIN_MS: '5000' }), 5_000);
  assert.throws(() => marginMs(ctx(9_000), {}), /PAGEFLEET_LAMBDA_MARGIN_MS: the stop margin \(10000 ms\) leaves no time/);
  assert.throws(() => marginMs(ctx(60_000), { PAGEFLEET_LAMBDA_MARGIN_MS: '1s' }), /expected milliseconds/);
});

test('bad events are rejected before any I/O, naming the field', async () => {
  const good = { job: 'job.yaml', run_id: 'r', executor_index: 0, executors: 1 };
  for (const [event, field] of [
    [[], 'event'],
    [{ ...good, executor_index: 1 }, 'executor_index'],
    [{ ...good, executor_index: '0x1' }, 'executor_index'],
    [{ ...good, overrides: [] }, 'overrides'],
    [{ ...good, overrides: { formats: [1] } }, 'overrides.formats'],
  ] as const) {
    await assert.rejects(handler(event, ctx(60_000)), (e: unknown) => e instanceof ConfigError && e.field === field);
  }
});
