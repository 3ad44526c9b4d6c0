/**
 * A first-come, first-served limit on how many things are starting at once (run-local.ts: child processes
 * loading Node and the CLI). `enter` waits for a place; `leave` gives it to the longest waiter. An abort
 * lets every waiter through at once (they check the signal themselves and start nothing).
 */
export class StartGate {
  private inside = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new TypeError('Expected `limit` to be a number from 1 and up');
  }

  /** How many have entered and not left. */
  get activeCount(): number {
    return this.inside;
  }

  /** How many wait for a place. */
  get pendingCount(): number {
    return this.waiting.length;
  }

  enter(signal?: AbortSignal): Promise<void> {
    if (this.inside < this.limit || signal?.aborted) {
      this.inside++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const admit = () => {
        signal?.removeEventListener('abort', onAbort);
        this.inside++;
        resolve();
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(admit);
        if (at >= 0) this.waiting.splice(at, 1);
        this.inside++;
        resolve();
      };
      this.waiting.push(admit);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  leave(): void {
    this.inside--;
    if (this.inside < this.limit) this.waiting.shift()?.();
  }
}
