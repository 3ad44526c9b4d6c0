import { createHash } from 'node:crypto';
import type { Format } from '../format/types.js';

/**
 * The landing layout (DESIGN §3, a contract read by Spark, DuckDB and Athena):
 *   <dataset>/<format>/ingest_date=YYYY-MM-DD/run_id=<run>/<file>
 *   _pagefleet/<dataset>/run_id=<run>/{plan.json, commits/, ledger/, summary-*.json}
 *   _pagefleet/<dataset>/schema.json
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
  /** A data file's key, named from its executor and the pages it holds, so re-writing the same pages hits the same key. */
  dataFile(format: Format, executor: number, pages: readonly number[], extension: string): string {
    const sorted = [...pages].sort((a, b) => a - b);
    const digest = createHash('sha256').update(`${format}:${sorted.join(',')}`).digest('hex').slice(0, 12);
    return `${this.dataDir(format)}/part-e${pad(executor, 3)}-p${pad(sorted[0], 9)}-${digest}${extension}`;
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
  /** Commit record of one data file (written before the file: intent; valid once the file exists). */
  commit(dataKey: string): string {
    const [, format] = dataKey.split('/');
    return `${this.controlDir}/commits/${format}/${dataKey.slice(dataKey.lastIndexOf('/') + 1)}.json`;
  }
  commitsDir(format: Format): string {
    return `${this.controlDir}/commits/${format}`;
  }
  ledgerDir(executor?: number): string {
    return executor === undefined ? `${this.controlDir}/ledger` : `${this.controlDir}/ledger/executor=${pad(executor, 3)}`;
  }
  summary(executor: number): string {
    return `${this.controlDir}/summary-e${pad(executor, 3)}.json`;
  }
  get schema(): string {
    return `_pagefleet/${this.dataset}/schema.json`;
  }
  static runsDir(dataset: string): string {
    return `_pagefleet/${dataset}`;
  }
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
