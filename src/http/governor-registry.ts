import { systemClock, type Clock } from '../clock.js';
import { RateGovernor } from './rate-governor.js';

/**
 * The rate governors of one process, one per (origin, share). Every client of a job in this process
 * (discovery, then the executor) asks here, so they draw on one token bucket: two buckets would each
 * grant a request at once, and N executors would start with 2N requests in the first instant.
 */
export class GovernorRegistry {
  private readonly governors = new Map<string, RateGovernor>();

  constructor(readonly clock: Clock = systemClock) {}

  /** The governor pacing requests to `origin` at `share` requests/s, created on first use. */
  governorFor(origin: string, share: number): RateGovernor {
    const key = `${origin} ${share}`;
    let governor = this.governors.get(key);
    if (!governor) {
      governor = new RateGovernor({ rate: share, clock: this.clock });
      this.governors.set(key, governor);
    }
    return governor;
  }
}

/** The registry of this process. */
export const processGovernors = new GovernorRegistry();
