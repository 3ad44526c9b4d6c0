import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock.js';
import { ProcessPacer } from './process-pacer.js';
import { RateGovernor } from './rate-governor.js';
import type { RateGovernorLike } from './types.js';

/** 8 members at 10 requests/s started together (their pumps in phase), 4 callers waiting on each: grant times. */
async function inPhase(pace: (g: RateGovernor) => RateGovernorLike, clock: FakeClock): Promise<number[]> {
  const times: number[] = [];
  const flush = () => new Promise((r) => setImmediate(r));
  const members = Array.from({ length: 8 }, () => new RateGovernor({ rate: 10, clock }));
  const calls = members.flatMap((g) => {
    const paced = pace(g);
    return Array.from({ length: 4 }, () => paced.acquire().then(() => times.push(clock.now())));
  });
  for (let i = 0; i < 100 && times.length < calls.length; i++) (await flush(), await clock.advance(5));
  await Promise.all(calls);
  return times;
}

const mostAtOnce = (times: number[]) => Math.max(...[...new Set(times)].map((t) => times.filter((x) => x === t).length));

describe('ProcessPacer', () => {
  it("spaces what the members' governors grant in the same instant, at their rates summed", async () => {
    const alone = await inPhase((g) => g, new FakeClock(0));
    assert.equal(mostAtOnce(alone), 8, 'without the pacer the 8 pumps grant together, every 100 ms');
    const clock = new FakeClock(0);
    const pacer = new ProcessPacer(clock);
    const paced = await inPhase((g) => pacer.join(g), clock);
    assert.equal(mostAtOnce(paced), 1, 'with it one at a time');
    const gaps = paced.slice(1).map((t, i) => t - paced[i]);
    assert.ok(Math.min(...gaps) >= 12.5 - 1e-9, `spaced at 1 / (8 × 10/s), got a gap of ${Math.min(...gaps)} ms`);
    // the 32 requests take no longer than 31 spacings of the summed rate: the pacer holds back bursts, not the rate
    assert.ok(Math.max(...paced) <= 31 * 12.5 + 1e-9, `last grant at ${Math.max(...paced)} ms`);
  });

  it("passes a 429 and a success to the member's own governor", () => {
    const clock = new FakeClock(0);
    const g = new RateGovernor({ rate: 10, clock });
    const paced = new ProcessPacer(clock).join(g);
    paced.throttled(1_000);
    assert.equal(g.currentRate, 5);
    assert.equal(g.pausedUntil, 1_000);
    paced.succeeded();
    assert.ok(g.currentRate > 5);
  });
});
