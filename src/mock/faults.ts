import { hashInts, hashString, Rng } from './hash.js';
import type { Fault, MockApiOptions } from './types.js';

const ERROR_STATUSES = [500, 502, 503] as const;

export type FaultRates = Pick<
  MockApiOptions,
  'seed' | 'errorRate' | 'resetRate' | 'truncateRate' | 'htmlRate' | 'latencyMs' | 'latencyJitterMs'
>;

/** The fault (if any) and the added latency for one request. */
export interface FaultDecision {
  fault: Fault;
  delayMs: number;
  /** 1 for the first request of this page, 2 for its first retry, ... */
  attempt: number;
}

/**
 * Decides faults deterministically. The draw for a request depends only on (seed, fault key, attempt),
 * where the attempt counts earlier requests with the same fault key; so a retry of a page gets a fresh
 * draw, and a run is reproducible whatever the interleaving of requests for different pages.
 * One uniform draw is compared with the cumulative rates error, reset, truncate, html: at most one fault.
 *
 * Example: `{ errorRate: 0.1, resetRate: 0.05 }` -> draw < 0.10 is a 5xx, 0.10..0.15 a reset.
 */
export class FaultPlanner {
  private attempts = new Map<string, number>();

  constructor(private readonly rates: FaultRates) {}

  decide(faultKey: string): FaultDecision {
    const attempt = (this.attempts.get(faultKey) ?? 0) + 1;
    this.attempts.set(faultKey, attempt);
    const r = new Rng(hashInts(this.rates.seed, hashString(faultKey), attempt));
    return { fault: this.pick(r.next(), r), delayMs: this.latency(r), attempt };
  }

  /** Latency for requests that have no fault key (errors, 429s); seeded by a sequence number. */
  latencyFor(sequence: number): number {
    return this.latency(new Rng(hashInts(this.rates.seed, sequence, 0x4c41_5431)));
  }

  private pick(u: number, r: Rng): Fault {
    const { errorRate, resetRate, truncateRate, htmlRate } = this.rates;
    let edge = errorRate;
    if (u < edge) return { kind: 'error', status: r.pick(ERROR_STATUSES) };
    if (u < (edge += resetRate)) return { kind: 'reset' };
    if (u < (edge += truncateRate)) return { kind: 'truncate' };
    if (u < (edge += htmlRate)) return { kind: 'html' };
    return { kind: 'none' };
  }

  private latency(r: Rng): number {
    const { latencyMs, latencyJitterMs } = this.rates;
    return latencyMs + (latencyJitterMs > 0 ? Math.floor(r.next() * (latencyJitterMs + 1)) : 0);
  }
}
