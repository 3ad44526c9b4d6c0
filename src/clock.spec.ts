import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it, test } from 'node:test';
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

test('FakeClock: a sleep woken by advance leaves no listener on its signal', async () => {
  const clock = new FakeClock(0);
  const ac = new AbortController();
  for (let i = 0; i < 50; i++) {
    const slept = clock.sleep(10, ac.signal);
    await clock.advance(10);
    await slept;
  }
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
});
