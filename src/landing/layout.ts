import type { Format } from '../format/types.js';

/**
 * The landing layout (docs/design.md "Landing layout", a contract read by Spark, DuckDB and Athena):
 *   <dataset>/<format>/ingest_date=YYYY-MM-DD/run_id=<run>/part-<session>-b<block>-<seq>.<ext>
 *   _pagefleet/<dataset>/run_id=<run>/plan.json                      page space, blocks, spec fingerprint
 *   _pagefleet/<dataset>/run_id=<run>/blocks/b<block>/<version>.json block log: claims and commits
 *   _pagefleet/<dataset>/run_id=<run>/sessions/<session>.json        one executor session's heartbeat
 *   _pagefleet/<dataset>/run_id=<run>/rate/s<slot>-<version>.json    rate slot log: who holds a slice of limits.rate
 *   _pagefleet/<dataset>/run_id=<run>/ledger/executor=NNN/*.jsonl    page attempts
 *   _pagefleet/<dataset>/run_id=<run>/status.json                    the last `status` result
 *   _pagefleet/<dataset>/run_id=<run>/schemas/e<NNN>.json            one executor's schema
 *   _pagefleet/<dataset>/landed/<format>/run_id=<run>/<file>.json   landed marker: what readers stream
 *   _pagefleet/<dataset>/schema.json
 * Every name here is made by this class alone.
 */
export class Layout {
  constructor(
    readonly dataset: string,
    readonly runId: string,
    readonly ingestDate: string,
  ) {}

  dataDir(format: Format): string {
    return `${this.dataset}/${format}/ingest_date=${this.ingestDate}/run_id=${this.runId}`;
  }
  /**
   * A data file's key. Names are unique per session (`seq` counts the session's files), so two sessions
   * never write the same key; which of them counts is decided by the block log, never by the name.
   */
  dataFile(format: Format, session: string, block: number, seq: number, extension: string): string {
    return `${this.dataDir(format)}/${Layout.filePrefix(session)}b${pad(block, 7)}-${pad(seq, 4)}${extension}`;
  }
  /** The name prefix of every data file (and temp file) a session writes. */
  static filePrefix(session: string): string {
    return `part-${session}-`;
  }
  /** The session that wrote a data file (undefined for a name pagefleet did not make). */
  static sessionOfFile(key: string): string | undefined {
    return /\/part-(e\d{3}-[0-9a-f]{6})-b\d{7}-\d{4}\.[a-z.]+$/.exec(key)?.[1];
  }
  /** Makes `<dataset>/<format>/` exist before the first file lands, so a stream can start on it (`_` is ignored by Spark). */
  readyMarker(format: Format): string {
    return `${this.dataset}/${format}/_READY`;
  }
  get controlDir(): string {
    return `_pagefleet/${this.dataset}/run_id=${this.runId}`;
  }
  get plan(): string {
    return `${this.controlDir}/plan.json`;
  }
  /** The last result of `status` (rendered by spark/pagefleet_spark/report.py): written by status, never read to decide anything. */
  get status(): string {
    return `${this.controlDir}/status.json`;
  }
  get blocksDir(): string {
    return `${this.controlDir}/blocks`;
  }
  blockDir(block: number): string {
    return `${this.blocksDir}/b${pad(block, 7)}`;
  }
  /** Entry `version` (1, 2, …) of a block's log; each is written create-once. */
  blockEntry(block: number, version: number): string {
    return `${this.blockDir(block)}/${pad(version, 6)}.json`;
  }
  /** Parses a block log key back into block and version. */
  static parseBlockEntry(key: string): { block: number; version: number } | undefined {
    const m = /\/blocks\/b(\d{7})\/(\d{6})\.json$/.exec(key);
    return m ? { block: Number(m[1]), version: Number(m[2]) } : undefined;
  }
  /** Where the landed markers of one format live, for every run of the dataset: the reader's stream source. */
  landedDir(format: Format): string {
    return `_pagefleet/${this.dataset}/landed/${format}`;
  }
  /** The landed marker of a committed data file, written after the file: a reader that sees it can read the file. */
  landedMarker(format: Format, file: string): string {
    return `${this.landedDir(format)}/run_id=${this.runId}/${file.slice(file.lastIndexOf('/') + 1)}.json`;
  }
  get sessionsDir(): string {
    return `${this.controlDir}/sessions`;
  }
  session(id: string): string {
    return `${this.sessionsDir}/${id}.json`;
  }
  /** The rate slot logs (src/ledger/rate-slots.ts). */
  get rateDir(): string {
    return `${this.controlDir}/rate`;
  }
  /**
   * Entry `version` (1, 2, …) of a rate slot's log; each is written create-once. All slots share one
   * folder, so a session reads every log with one listing.
   */
  rateSlotEntry(slot: number, version: number): string {
    return `${this.rateDir}/s${pad(slot, 4)}-${pad(version, 6)}.json`;
  }
  /** Parses a rate slot log key back into slot and version. */
  static parseRateSlotEntry(key: string): { slot: number; version: number } | undefined {
    const m = /\/rate\/s(\d{4})-(\d{6})\.json$/.exec(key);
    return m ? { slot: Number(m[1]), version: Number(m[2]) } : undefined;
  }
  ledgerDir(executor?: number): string {
    return executor === undefined ? `${this.controlDir}/ledger` : `${this.controlDir}/ledger/executor=${pad(executor, 3)}`;
  }
  get schema(): string {
    return `_pagefleet/${this.dataset}/schema.json`;
  }
  /** The run's executor schemas, each a superset of what one executor landed (src/executor/dataset-schema.ts). */
  get schemasDir(): string {
    return `${this.controlDir}/schemas`;
  }
  executorSchema(executor: number): string {
    return `${this.schemasDir}/e${pad(executor, 3)}.json`;
  }
  static runsDir(dataset: string): string {
    return `_pagefleet/${dataset}`;
  }
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
