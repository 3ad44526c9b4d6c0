import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock, systemClock } from '../clock.js';
import { sleep } from './sleep.js';

describe('sleep', () => {
  it('waits on the injected clock', async () => {
    const clock = new FakeClock();
    let done = false;
    const p = sleep(clock, 100).then(() => (done = true));
    await clock.advance(99);
    assert.equal(done, false);
    await clock.advance(1);
    await p;
    assert.equal(done, true);
  });

  it('rejects with the abort reason even on a clock that ignores signals', async () => {
    const clock = new FakeClock();
    const ac = new AbortController();
    const p = sleep(clock, 10_000, ac.signal);
    ac.abort(new Error('shutdown'));
    await assert.rejects(p, /shutdown/);
    await assert.rejects(sleep(clock, 1, AbortSignal.abort(new Error('early'))), /early/);
  });

  it('cancels a real timer', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const p = sleep(systemClock, 60_000, ac.signal);
    setTimeout(() => ac.abort(new Error('bye')), 10);
    await assert.rejects(p, /bye/);
    assert.ok(Date.now() - started < 1000);
  });
});
