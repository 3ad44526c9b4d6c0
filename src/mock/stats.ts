import type { MockStats } from './types.js';

/** Counts data requests by outcome. `/_stats` returns a snapshot, e.g.
 * `{"requests":12,"byStatus":{"200":10,"503":1,"reset":1},"authorizationSeen":0}`. */
export class StatsRecorder {
  private requests = 0;
  private authorizationSeen = 0;
  private byStatus: Record<string, number> = {};

  request(hasAuthorization: boolean): void {
    this.requests++;
    if (hasAuthorization) this.authorizationSeen++;
  }

  /** `outcome` is the status code sent, or 'reset'. */
  outcome(outcome: number | 'reset'): void {
    const k = String(outcome);
    this.byStatus[k] = (this.byStatus[k] ?? 0) + 1;
  }

  snapshot(): MockStats {
    return { requests: this.requests, byStatus: { ...this.byStatus }, authorizationSeen: this.authorizationSeen };
  }
}
