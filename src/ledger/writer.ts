import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../clock.js';
import { WriteError } from '../errors.js';
import { oneLine } from '../http/one-line.js';
import type { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';
import { LEDGER_PUT_RETRY } from './constants.js';
import { ledgerRetryDelay } from './retry-delay.js';
import type { LedgerEntry, LedgerRetryOptions, LedgerWriterOptions } from './types.js';

/** Ledger fields whose text may come from the API, a URL or an error message (`error` is also made one line). */
const FREE_TEXT = ['cursor', 'slice', 'warning'] as const;

/** A sealed batch of lines: its key and body never change, so putting it again is idempotent. */
interface Segment {
  key: string;
  body: string;
  lines: number;
}

/**
 * Buffers ledger lines and lands them as immutable JSONL segments
 * (`ledger/executor=NNN/<session>-<seq>.jsonl`), so the same code works on a folder and on S3, where
 * objects cannot be appended to. A killed executor loses only lines of pages that had not landed yet.
 *
 * A flush seals the buffered lines into the next segment and puts every unsent segment, oldest first,
 * retrying each put with backoff. A segment that still cannot be written stays queued, under the same
 * key, for the next flush: lines are never lost, reordered or written under two keys.
 */
export class LedgerWriter {
  private lines: string[] = [];
  private unsent: Segment[] = [];
  private seq = 0;
  private readonly session: string;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly retry: LedgerRetryOptions;
  /** The flush in progress (never rejects, so a failure cannot poison later flushes). */
  private running: Promise<void> = Promise.resolve();
  /** A flush queued behind `running` that has not started: later callers join it. */
  private queued: Promise<void> | undefined;
  private lastError: WriteError | undefined;

  constructor(
    private readonly store: Store,
    private readonly layout: Layout,
    private readonly executor: number,
    private readonly redact: (text: string) => string,
    options: LedgerWriterOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.retry = options.retry ?? LEDGER_PUT_RETRY;
    const now = options.now ?? new Date(this.clock.now());
    this.session = `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
  }

  /** Lines recorded but not yet landed. */
  get pending(): number {
    return this.lines.length + this.unsent.reduce((n, s) => n + s.lines, 0);
  }

  /**
   * The WriteError of the last flush when it gave up; undefined once a flush has landed every queued
   * line. An executor that sees it set should stop taking new pages: its ledger cannot be written.
   */
  get failed(): WriteError | undefined {
    return this.lastError;
  }

  /**
   * Queues one line, and returns it as written. This is where ledger text leaves the process, so this is
   * where it is redacted, once: the fields that can carry text from the API, a URL or an error are redacted
   * before the entry is serialised (never the JSON text after it, which a one-character secret would
   * break); `error` may come whole (describeError) and is made one line here, after it is redacted. The
   * other fields are pagefleet's own vocabulary, numbers and file names, which no secret enters.
   */
  record(entry: Omit<LedgerEntry, 'run_id' | 'dataset' | 'executor'>): LedgerEntry {
    const full: LedgerEntry = {
      run_id: this.layout.runId,
      dataset: this.layout.dataset,
      executor: this.executor,
      ...entry,
    };
    for (const field of FREE_TEXT) if (typeof full[field] === 'string') full[field] = this.redact(full[field]);
    if (typeof full.error === 'string') full.error = oneLine(full.error, this.redact);
    this.lines.push(JSON.stringify(full));
    return full;
  }

  /**
   * Lands every line recorded before the call. Flushes run one at a time, so segments land in order;
   * calls made while one runs share the next. Rejects with a WriteError when a segment could not be
   * written after every retry; the lines stay queued and the next flush tries again.
   */
  flush(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.running.then(() => {
      this.queued = undefined;
      return this.landAll();
    });
    this.queued = next;
    this.running = next.catch(() => undefined);
    return next;
  }

  private async landAll(): Promise<void> {
    this.seal();
    try {
      while (this.unsent.length) {
        await this.putWithRetry(this.unsent[0]);
        this.unsent.shift();
      }
      this.lastError = undefined;
    } catch (err) {
      this.lastError = err as WriteError;
      throw err;
    }
  }

  /** Moves the buffered lines into a new segment with the next key. */
  private seal(): void {
    if (!this.lines.length) return;
    const key = `${this.layout.ledgerDir(this.executor)}/${this.session}-${String(this.seq++).padStart(6, '0')}.jsonl`;
    this.unsent.push({ key, body: this.lines.join('\n') + '\n', lines: this.lines.length });
    this.lines = [];
  }

  private async putWithRetry(segment: Segment): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.store.put(segment.key, segment.body);
        return;
      } catch (err) {
        // Every failure is retried: a full disk or a revoked key looks the same as a blip at first.
        if (attempt >= this.retry.attempts) {
          const why = err instanceof Error ? err.message : String(err);
          throw new WriteError(`ledger segment ${segment.key} not written after ${attempt} attempts: ${why}`, { cause: err });
        }
        await this.clock.sleep(ledgerRetryDelay(attempt - 1, this.retry, this.random));
      }
    }
  }
}
