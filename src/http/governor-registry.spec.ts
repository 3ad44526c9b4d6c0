import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock.js';
import { clientFor } from '../job/client.js';
import { specFromObject } from '../spec/load.js';
import { GovernorRegistry } from './governor-registry.js';
import { Redactor } from './redact.js';
import type { HttpClientOptions } from './types.js';

const flush = () => new Promise((r) => setImmediate(r));

/** Acquires in order and returns, after `ms` of fake time, the time of each grant. */
async function grants(clock: FakeClock, acquires: (() => Promise<void>)[], ms: number): Promise<number[]> {
  const times: number[] = [];
  for (const acquire of acquires) void acquire().then(() => times.push(clock.now()));
  for (let t = 0; t <= ms; t += 10) {
    await flush();
    if (t < ms) await clock.advance(10);
  }
  return times;
}

describe('one rate governor per process', () => {
  it('discovery and the executor of one process share a governor', async () => {
    const registry = new GovernorRegistry(new FakeClock());
    const spec = specFromObject(
      { dataset: 'm', source: { url: 'http://127.0.0.1:9/movies', records: 'results' }, pagination: { page: { end: 9 } }, limits: { rate: 10 } },
      {},
      {},
    );
    const redact = new Redactor([]).fn;
    const [discovery, executor, otherJob] = [
      clientFor(spec, 2, redact, registry),
      clientFor(spec, 2, redact, registry),
      clientFor({ ...spec, limits: { ...spec.limits, rate: 20 } }, 2, redact, registry),
    ];
    const rateOf = (c: unknown) => (c as { opts: HttpClientOptions }).opts.rate;
    assert.equal(rateOf(discovery), rateOf(executor));
    assert.notEqual(rateOf(discovery), rateOf(otherJob));
    await Promise.all([discovery.close(), executor.close(), otherJob.close()]);
  });

  it('N processes starting at once send N requests in the first instant, not 2N', async () => {
    const clock = new FakeClock(1_000_000);
    const n = 4;
    const share = 2; // requests/s per executor
    const processes = Array.from({ length: n }, () => new GovernorRegistry(clock));
    // each process: the discovery request, then the executor's first request, at the same instant
    const acquires = processes.flatMap((p) => [0, 1].map(() => () => p.governorFor('http://api', share).acquire()));
    const times = await grants(clock, acquires, 1000);
    assert.equal(times.filter((t) => t === 1_000_000).length, n, `grants at t=0: ${times.map((t) => t - 1_000_000)}`);
    assert.deepEqual([...new Set(times.slice(n).map((t) => t - 1_000_000))], [1000 / share], 'the second of each waits 1/share');
  });
});
