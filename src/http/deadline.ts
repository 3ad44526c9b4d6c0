/** The error an attempt's deadline aborts it with; classify.ts counts its code as a timeout. */
export class DeadlineExceeded extends Error {
  readonly code = 'PF_DEADLINE_EXCEEDED';
  constructor(deadlineMs: number) {
    super(`the attempt took longer than its ${deadlineMs} ms deadline (limits.deadline: connect, headers and body)`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * The signal of one attempt: aborts with the caller's reason when the caller aborts, or with
 * DeadlineExceeded once `deadlineMs` have passed, whichever comes first. A real timer, not the injected
 * clock: it bounds real I/O. Call `dispose()` when the attempt ends.
 */
export class AttemptSignal {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onCallerAbort: () => void;

  constructor(
    deadlineMs: number,
    private readonly caller?: AbortSignal,
  ) {
    this.onCallerAbort = () => this.controller.abort(caller!.reason);
    this.timer = setTimeout(() => this.controller.abort(new DeadlineExceeded(deadlineMs)), deadlineMs);
    if (caller?.aborted) this.onCallerAbort();
    else caller?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The DeadlineExceeded reason if the deadline (not the caller) ended the attempt. */
  get expired(): DeadlineExceeded | undefined {
    const reason: unknown = this.controller.signal.reason;
    return reason instanceof DeadlineExceeded ? reason : undefined;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onCallerAbort);
  }
}
