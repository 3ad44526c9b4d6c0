import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock.js';
import { ConfigError } from '../errors.js';
import { RateGovernor, shareOf } from './rate-governor.js';

/** Starts `n` concurrent acquires and advances fake time until all are granted; returns grant times in order. */
async function grantTimes(g: RateGovernor, clock: FakeClock, n: number, stepMs = 7): Promise<{ times: number[]; order: number[] }> {
  const times: number[] = [];
  const order: number[] = [];
  const all = Array.from({ length: n }, (_, i) =>
    g.acquire().then(() => {
      times.push(clock.now());
      order.push(i);
    }),
  );
  const flush = () => new Promise((r) => setImmediate(r)); // let grants record their time before time moves
  for (let guard = 0; (await flush(), times.length < n) && guard < 100_000; guard++) await clock.advance(stepMs);
  await Promise.all(all);
  return { times, order };
}

/** Checks grants in every window [t_i, t_j] against rate * t + burst. */
function assertBound(times: number[], rate: number, burst: number): void {
  for (let i = 0; i < times.length; i++) {
    for (let j = i; j < times.length; j++) {
      const count = j - i + 1;
      const allowed = (rate * (times[j] - times[i])) / 1000 + burst;
      assert.ok(count <= allowed + 1e-9, `${count} grants in ${times[j] - times[i]} ms > ${allowed}`);
    }
  }
}

describe('RateGovernor', () => {
  it('keeps its rate when the pump wakes late (timers), and lets no window go above rate * t + burst + 1', async () => {
    const clock = new FakeClock(0);
    // every sleep of the pump ends 30 ms late, as timers do under load
    const late = { now: () => clock.now(), sleep: (ms: number, signal?: AbortSignal) => clock.sleep(ms + 30, signal) };
    const g = new RateGovernor({ rate: 10, clock: late });
    const { times } = await grantTimes(g, clock, 101, 10);
    const span = times[100] - times[0];
    assert.ok(span <= 10_000 + 130, `100 intervals took ${span} ms: lateness was lost (at the 1-token cap, 13,000 ms)`);
    assertBound(times, 10, 2);
  });

  for (const [rate, burst] of [
    [10, 1],
    [10, 3],
    [3.3, 1],
    [250, 5],
  ] as const) {
    it(`never grants more than rate*t + burst in any window (rate ${rate}, burst ${burst}), FIFO`, async () => {
      const clock = new FakeClock(1_000_000);
      const g = new RateGovernor({ rate, burst, clock });
      const { times, order } = await grantTimes(g, clock, 60, 3);
      assertBound(times, rate, burst);
      assert.deepEqual(order, [...order].sort((a, b) => a - b), 'served in arrival order');
      // and it is not needlessly slow: a fresh governor holds one token, so 60 grants take about 59 / rate seconds
      const span = times[times.length - 1] - times[0];
      assert.ok(span <= (59 / rate) * 1000 + 10, `span ${span}`);
      assert.equal(g.pendingCount, 0);
    });
  }

  it('a fresh governor grants one request at once, never its whole burst (a burst is saved-up idle time)', async () => {
    const clock = new FakeClock(1_000_000);
    const g = new RateGovernor({ rate: 10, burst: 3, clock });
    const { times } = await grantTimes(g, clock, 3, 10);
    assert.deepEqual(times.map((t) => t - 1_000_000), [0, 100, 200]);
  });

  it('halves the rate on throttled(), floored at minRate (default rate/16)', () => {
    const g = new RateGovernor({ rate: 8, clock: new FakeClock() });
    g.throttled();
    assert.equal(g.currentRate, 4);
    g.throttled();
    assert.equal(g.currentRate, 2);
    for (let i = 0; i < 10; i++) g.throttled();
    assert.equal(g.currentRate, 0.5);
    const h = new RateGovernor({ rate: 8, minRate: 3, clock: new FakeClock() });
    h.throttled();
    h.throttled();
    assert.equal(h.currentRate, 3);
  });

  it('recovers additively by share/20 per success, never above the share', () => {
    const g = new RateGovernor({ rate: 10, clock: new FakeClock() });
    g.throttled();
    assert.equal(g.currentRate, 5);
    g.succeeded();
    assert.equal(g.currentRate, 5.5);
    for (let i = 0; i < 9; i++) g.succeeded();
    assert.equal(g.currentRate, 10);
    g.succeeded();
    assert.equal(g.currentRate, 10);
  });

  it('spaces grants at the lowered rate after a 429', async () => {
    const clock = new FakeClock();
    const g = new RateGovernor({ rate: 10, clock });
    await grantTimes(g, clock, 1);
    g.throttled();
    const { times } = await grantTimes(g, clock, 5, 1);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    assert.deepEqual(gaps, [200, 200, 200, 200]);
  });

  it('pauses every acquirer until now + retryAfterMs', async () => {
    const clock = new FakeClock(5000);
    const g = new RateGovernor({ rate: 100, burst: 4, clock });
    g.throttled(2000);
    assert.equal(g.pausedUntil, 7000);
    const granted: number[] = [];
    const p = [g.acquire(), g.acquire()].map((a) => a.then(() => granted.push(clock.now())));
    await clock.advance(1999);
    assert.deepEqual(granted, []);
    await clock.advance(1);
    await Promise.all(p);
    assert.deepEqual(granted, [7000, 7000]);
    g.throttled(500); // a shorter pause never shortens a longer one
    g.throttled(100);
    assert.equal(g.pausedUntil, 7500);
  });

  it('rejects an aborted acquire with the signal reason and keeps serving others', async () => {
    const clock = new FakeClock();
    const g = new RateGovernor({ rate: 1, clock });
    await g.acquire(); // uses the one token
    const ac = new AbortController();
    const waiting = g.acquire(ac.signal);
    const next = g.acquire();
    ac.abort(new Error('stop'));
    await assert.rejects(waiting, /stop/);
    assert.equal(g.pendingCount, 1);
    await clock.advance(1000);
    await next;
    await assert.rejects(g.acquire(AbortSignal.abort(new Error('already'))), /already/);
  });

  it('setShare(0) grants nothing, however long the wait, until the share grows; FIFO is kept', async () => {
    const clock = new FakeClock(1_000_000);
    const g = new RateGovernor({ rate: 10, clock });
    g.setShare(0);
    const order: number[] = [];
    const all = [0, 1, 2].map((i) => g.acquire().then(() => order.push(i)));
    for (let i = 0; i < 100; i++) await clock.advance(100);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, [], 'a session without rate slots sends nothing');
    assert.equal(g.pendingCount, 3);
    g.setShare(20);
    for (let i = 0; i < 20 && order.length < 3; i++) {
      await new Promise((r) => setImmediate(r));
      await clock.advance(50);
    }
    await Promise.all(all);
    assert.deepEqual(order, [0, 1, 2]);
  });

  it('after setShare(lower), grants keep the lower pacing at once (no saved-up tokens beyond one)', async () => {
    const clock = new FakeClock(1_000_000);
    const g = new RateGovernor({ rate: 100, clock });
    await grantTimes(g, clock, 10, 1);
    g.setShare(5);
    assert.equal(g.share, 5);
    const { times } = await grantTimes(g, clock, 12, 7);
    assertBound(times, 5, 1);
  });

  it('setShare keeps AIMD in proportion, and AIMD never goes above the current share', async () => {
    const clock = new FakeClock(1_000_000);
    const g = new RateGovernor({ rate: 40, clock });
    g.throttled();
    assert.equal(g.currentRate, 20);
    g.setShare(80);
    assert.equal(g.currentRate, 40, 'half the old share becomes half the new one');
    for (let i = 0; i < 100; i++) g.succeeded();
    assert.equal(g.currentRate, 80);
    g.setShare(10);
    assert.equal(g.currentRate, 10);
    for (let i = 0; i < 100; i++) g.succeeded();
    assert.equal(g.currentRate, 10);
    assert.equal(g.minRate, 10 / 16);
    g.setShare(0);
    g.throttled();
    g.succeeded();
    assert.equal(g.currentRate, 0);
    assert.throws(() => g.setShare(-1), /share/);
    assert.throws(() => g.setShare(Number.NaN), /share/);
  });

  it('a pause (Retry-After) outlasts a share change', async () => {
    const clock = new FakeClock(5_000);
    const g = new RateGovernor({ rate: 10, clock });
    await g.acquire();
    g.throttled(2_000);
    g.setShare(100);
    let granted: number | undefined;
    const p = g.acquire().then(() => (granted = clock.now()));
    await clock.advance(1_999);
    assert.equal(granted, undefined);
    await clock.advance(1);
    await p;
    assert.equal(granted, 7_000);
  });

  it('validates its options', () => {
    // `rate` itself is the spec's limits.rate, checked once by the spec schema (src/spec/limits.spec.ts)
    assert.throws(() => new RateGovernor({ rate: 5, burst: 0 }), ConfigError);
    assert.throws(() => new RateGovernor({ rate: 5, burst: 0 }), /burst/);
    assert.throws(() => new RateGovernor({ rate: 5, minRate: 6 }), /minRate/);
  });
});

describe('shareOf', () => {
  it('splits the job rate evenly', () => {
    assert.equal(shareOf(40, 4), 10);
    assert.equal(shareOf(10, 3), 10 / 3);
    assert.ok(shareOf(10, 3) * 3 <= 10 + 1e-9);
  });
});
