/** Bench helper: one measured run of one candidate, in the current (child) process. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NdjsonBuilder } from '../src/format/ndjson-builder.js';
import { ParquetBuilder, type ParquetEncoder } from '../src/format/parquet-builder.js';
import type { FileBuilder } from '../src/format/types.js';
import { moviePages } from './parquet-records.js';
import { encodeParquetWasm } from './parquet-wasm-encode.js';

export interface RunResult {
  name: string;
  seconds: number;
  bytes: number;
  approxBytes: number;
  peakRssBytes: number;
  rssOverBaseline: number;
  heapDelta: number;
  file: string;
}

const ENCODERS: Record<string, ParquetEncoder | undefined> = {
  'hyparquet-writer (snappy)': undefined, // the default encoder of ParquetBuilder
  'parquet-wasm (zstd)': (s, c) => encodeParquetWasm(s, c, 'ZSTD'),
  'parquet-wasm (snappy)': (s, c) => encodeParquetWasm(s, c, 'SNAPPY'),
};

export const CANDIDATES = [...Object.keys(ENCODERS), 'ndjson.gz (reference)'];

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Adds N records page by page to the candidate's builder and finishes it. `hold` measures only holding. */
export async function runCandidate(name: string, n: number, pageSize: number, outDir: string): Promise<RunResult> {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const pages = moviePages(n, pageSize);
  gc();
  const base = process.memoryUsage();
  if (name === 'hold') {
    const json = pages.reduce((s, p) => s + JSON.stringify(p).length, 0);
    return { name, seconds: 0, bytes: json, approxBytes: 0, peakRssBytes: 0, rssOverBaseline: 0, heapDelta: base.heapUsed - heap0, file: '' };
  }
  const builder: FileBuilder = name.startsWith('ndjson') ? new NdjsonBuilder() : new ParquetBuilder(undefined, ENCODERS[name]);
  const t0 = process.hrtime.bigint();
  pages.forEach((records, i) => builder.add(records, { runId: 'bench-run', page: i + 1, fetchedAt: new Date(Date.UTC(2024, 5, 1) + i) }));
  const approxBytes = builder.approxBytes;
  const { bytes } = await builder.finish();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const heapDelta = process.memoryUsage().heapUsed - base.heapUsed;
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const file = join(outDir, `${name.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}${builder.extension}`);
  writeFileSync(file, bytes);
  return { name, seconds, bytes: bytes.length, approxBytes, peakRssBytes, rssOverBaseline: peakRssBytes - base.rss, heapDelta, file };
}
