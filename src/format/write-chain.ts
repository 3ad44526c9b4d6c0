/**
 * A file builder's writes, run one after another so bytes reach the sink in order. A caller of `push` goes on
 * at once while at most `maxWaiting` steps are queued (fetching need not wait for a disk or S3 write), and
 * waits for its own step beyond that (the backpressure that bounds memory). A failed step fails every later
 * `push` and `drain`: a file with a hole in it must never be committed.
 */
export class WriteChain {
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private failure: { error: unknown } | undefined;

  constructor(private readonly maxWaiting = 2) {}

  push(step: () => Promise<void>): Promise<void> {
    if (this.failure) return Promise.reject(this.failure.error);
    this.queued++;
    const run = this.tail.then(() => (this.failure ? Promise.reject(this.failure.error) : step()));
    this.tail = run.then(
      () => void this.queued--,
      (error: unknown) => {
        this.queued--;
        this.failure ??= { error };
      },
    );
    return this.queued > this.maxWaiting ? run : Promise.resolve();
  }

  /** Resolves once every step pushed so far is done; rejects if any failed. */
  async drain(): Promise<void> {
    await this.tail;
    if (this.failure) throw this.failure.error;
  }
}
