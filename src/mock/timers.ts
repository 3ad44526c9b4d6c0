/** Tracks pending timeouts so that closing the server cancels them (no writes after close). */
export class Timers {
  private pending = new Set<NodeJS.Timeout>();

  /** Runs `fn` after `ms` (immediately if `ms` <= 0). */
  after(ms: number, fn: () => void): void {
    if (ms <= 0) return fn();
    const t = setTimeout(() => {
      this.pending.delete(t);
      fn();
    }, ms);
    this.pending.add(t);
  }

  clear(): void {
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
  }
}
