/** Bench helper: one measured run of one candidate, in the current (child) process. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inferSchema } from '../src/format/schema.js';
import { NdjsonBuilder } from '../src/format/ndjson-builder.js';
import { ParquetBuilder, type ParquetEncoder } from '../src/format/parquet-builder.js';
import type { FileBuilder } from '../src/format/types.js';
import { MemorySink } from '../test/memory-sink.js';
import { moviePageBodies } from './parquet-records.js';
import { wasmSink } from './parquet-wasm-encode.js';
import { hyparquetEncoder } from './hyparquet-encode.js';
import { columnsStream } from './parquet-columns.js';

export interface RunResult {
  name: string;
  seconds: number;
  bytes: number;
  approxBytes: number;
  peakRssBytes: number;
  rssOverBaseline: number;
  /** Heap growth while the pages are held (after the last add, before finish; includes garbage). */
  heapDelta: number;
  /** Longest stretch the event loop was blocked while pages were added, flushed and finished (ms). */
  finishBlockMs: number;
  file: string;
}

const ENCODERS: Record<string, ParquetEncoder | undefined> = {
  'pagefleet (snappy)': undefined, // the default encoder of ParquetBuilder (src/format/parquet/)
  'hyparquet-writer (snappy)': (s) => columnsStream(s, hyparquetEncoder(s)),
  'parquet-wasm (zstd)': (s) => columnsStream(s, wasmSink(s, 'ZSTD')),
  'parquet-wasm (snappy)': (s) => columnsStream(s, wasmSink(s, 'SNAPPY')),
};

export const CANDIDATES = [...Object.keys(ENCODERS), 'ndjson.gz (reference)'];

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Adds N records page by page to the candidate's builder and finishes it. Page bodies are JSON text
 * made beforehand; each is parsed just before `add`, as the executor does with an HTTP body, so the
 * builder alone holds records. `hold` measures the holding and parsing costs instead.
 */
export async function runCandidate(name: string, n: number, pageSize: number, outDir: string): Promise<RunResult> {
  const bodies = moviePageBodies(n, pageSize);
  gc();
  const base = process.memoryUsage();
  if (name === 'hold') {
    const t0 = process.hrtime.bigint();
    const pages = bodies.map((b) => JSON.parse(b) as unknown[]);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    gc();
    const heapDelta = process.memoryUsage().heapUsed - base.heapUsed;
    const json = bodies.reduce((s, b) => s + b.length, 0);
    return { name, seconds, bytes: json, approxBytes: pages.length, peakRssBytes: 0, rssOverBaseline: 0, heapDelta, finishBlockMs: 0, file: '' };
  }
  const sink = new MemorySink();
  const builder: FileBuilder = name.startsWith('ndjson') ? new NdjsonBuilder(sink) : new ParquetBuilder(sink, {}, ENCODERS[name]);
  const t0 = process.hrtime.bigint();
  const loop = blockWatch();
  // as the executor does: parse a body, infer its schema once, add it, write what is ready
  for (const [i, body] of bodies.entries()) {
    const records = JSON.parse(body) as unknown[];
    builder.add({ records, prov: { runId: 'bench-run', page: i + 1, fetchedAt: new Date(Date.UTC(2024, 5, 1) + i) }, schema: inferSchema(records), jsonBytes: body.length });
    await builder.flush();
  }
  const approxBytes = builder.approxBytes;
  const heldHeap = process.memoryUsage().heapUsed - base.heapUsed;
  await builder.finish();
  const bytes = sink.content;
  const finishBlockMs = await loop.stop();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const file = join(outDir, `${name.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}${builder.extension}`);
  writeFileSync(file, bytes);
  return {
    name, seconds, bytes: bytes.length, approxBytes, peakRssBytes, rssOverBaseline: peakRssBytes - base.rss,
    heapDelta: heldHeap, finishBlockMs, file,
  };
}

/** Measures the longest gap between 1 ms ticks, i.e. the longest time the event loop was blocked. */
function blockWatch(): { stop(): Promise<number> } {
  let last = performance.now();
  let max = 0;
  const tick = () => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
  };
  const timer = setInterval(tick, 1);
  return {
    async stop() {
      await new Promise((r) => setTimeout(r, 5));
      tick();
      clearInterval(timer);
      return max;
    },
  };
}
