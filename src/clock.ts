/** Time source. Production uses `systemClock`; tests pass a `FakeClock` so time-based logic runs instantly. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason if aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** A clock that only moves when told to. `sleep` resolves as soon as `advance` passes its deadline. */
export class FakeClock implements Clock {
  private t: number;
  private sleepers: { until: number; resolve: () => void }[] = [];
  constructor(start = 0) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal!.reason);
      };
      // woken by advance: the listener goes too (long fake-clock loops would pile them up on one signal)
      const sleeper = { until: this.t + Math.max(0, ms), resolve: () => (signal?.removeEventListener('abort', onAbort), resolve()) };
      this.sleepers.push(sleeper);
      this.sleepers.sort((a, b) => a.until - b.until);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
  /** Moves time forward, waking sleepers in deadline order. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    while (this.sleepers.length && this.sleepers[0].until <= target) {
      const next = this.sleepers.shift()!;
      this.t = next.until;
      next.resolve();
      await new Promise((r) => setImmediate(r));
    }
    this.t = target;
  }
  /** Number of pending sleeps (for assertions). */
  get pending(): number {
    return this.sleepers.length;
  }
}
