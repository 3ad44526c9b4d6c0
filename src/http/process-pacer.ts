import type { Clock } from '../clock.js';
import { RateGovernor } from './rate-governor.js';
import type { RateGovernorLike } from './types.js';

/**
 * Spaces the requests of the executors one process hosts (a local run's child runs several, each a session
 * with its own governor and share of the job's rate). Their pumps are timers on one event loop: after a stall
 * (a file encoded, a burst of store reads) they all wake in the same instant, each with up to burst + 1
 * tokens saved, and 8 executors send 16 requests at once; 8 such processes sent 64-128 against an API whose
 * bucket holds 20, and the 64-executor case drew 1% 429s (bench/RESULTS.md, "Scale").
 *
 * The pacer is one more token bucket between the members' governors and the network, at the sum of their
 * current rates: a request leaves once its governor and then the pacer grant it. The process as a whole then
 * sends at most a burst + 1 at once, while over time the pacer never holds anyone back more than the
 * members' own pacing does (its rate is theirs summed). Shares, AIMD and pauses stay the members' own.
 */
export class ProcessPacer {
  private readonly members = new Set<RateGovernor>();
  private readonly bucket: RateGovernor;
  private rate = 1;

  constructor(clock?: Clock) {
    this.bucket = new RateGovernor({ rate: this.rate, clock });
  }

  /** What a member's client draws on: its governor, then the pacer. */
  join(governor: RateGovernor): RateGovernorLike {
    this.members.add(governor);
    return {
      acquire: async (signal?: AbortSignal) => {
        await governor.acquire(signal);
        this.follow();
        await this.bucket.acquire(signal);
      },
      throttled: (retryAfterMs?: number) => governor.throttled(retryAfterMs),
      succeeded: () => governor.succeeded(),
    };
  }

  /** Keeps the pacer's rate at the members' current rates summed (a member's AIMD or share may have moved). */
  private follow(): void {
    let sum = 0;
    for (const g of this.members) sum += g.currentRate;
    if (sum > 0 && sum !== this.rate) this.bucket.setShare((this.rate = sum));
  }
}
