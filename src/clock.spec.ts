import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock, systemClock } from './clock.js';

describe('clock.sleep', () => {
  it('waits on the injected clock', async () => {
    const clock = new FakeClock();
    let done = false;
    const p = clock.sleep(100).then(() => (done = true));
    await clock.advance(99);
    assert.equal(done, false);
    await clock.advance(1);
    await p;
    assert.equal(done, true);
  });

  it('the fake clock rejects with the abort reason and forgets the sleeper', async () => {
    const clock = new FakeClock();
    const ac = new AbortController();
    const p = clock.sleep(10_000, ac.signal);
    ac.abort(new Error('shutdown'));
    await assert.rejects(p, /shutdown/);
    await assert.rejects(clock.sleep(1, AbortSignal.abort(new Error('early'))), /early/);
  });

  it('cancels a real timer', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const p = systemClock.sleep(60_000, ac.signal);
    setTimeout(() => ac.abort(new Error('bye')), 10);
    await assert.rejects(p, /bye/);
    assert.ok(Date.now() - started < 1000);
  });
});
