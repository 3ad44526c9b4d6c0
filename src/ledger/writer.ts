import { randomBytes } from 'node:crypto';
import type { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';
import type { LedgerEntry } from './types.js';

/**
 * Buffers ledger lines and lands them as immutable JSONL segments
 * (`ledger/executor=NNN/<session>-<seq>.jsonl`), so the same code works on a folder and on S3, where
 * objects cannot be appended to. A killed executor loses only lines of pages that had not landed yet.
 */
export class LedgerWriter {
  private lines: string[] = [];
  private seq = 0;
  private readonly session: string;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly layout: Layout,
    private readonly executor: number,
    private readonly redact: (s: string) => string,
    now = new Date(),
  ) {
    this.session = `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
  }

  get pending(): number {
    return this.lines.length;
  }

  record(entry: Omit<LedgerEntry, 'run_id' | 'dataset' | 'executor'>): void {
    const full: LedgerEntry = {
      run_id: this.layout.runId,
      dataset: this.layout.dataset,
      executor: this.executor,
      ...entry,
    };
    this.lines.push(this.redact(JSON.stringify(full)));
  }

  /** Lands the buffered lines as one segment. Serialised, so segments keep their order. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (!this.lines.length) return;
      const lines = this.lines;
      this.lines = [];
      const key = `${this.layout.ledgerDir(this.executor)}/${this.session}-${String(this.seq++).padStart(6, '0')}.jsonl`;
      try {
        await this.store.put(key, lines.join('\n') + '\n');
      } catch (err) {
        this.lines = lines.concat(this.lines);
        this.seq--;
        throw err;
      }
    });
    return this.flushing;
  }
}
