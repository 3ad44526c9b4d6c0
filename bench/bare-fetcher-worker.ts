/**
 * One process of the bare Node fetcher (bench/bare-fetcher.ts): pages FIRST..LAST of URL/3/movie/popular
 * through one undici Pool with IN_FLIGHT requests at a time; each body `JSON.parse`d and its `results`
 * written as NDJSON lines through gzip at LEVEL into OUT (one file). What any hand-written Node fetcher
 * would do, and nothing pagefleet adds (no ledger, no provenance columns, no commit protocol).
 *
 *   node dist/bench/bare-fetcher-worker.js URL FIRST LAST LEVEL OUT [IN_FLIGHT=8]
 *
 * Prints one JSON line: {pages, records, maxRequestGapMs, maxEventLoopBlockMs, maxRssMiB}.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Pool } from 'undici';
import { PAGES_PATH } from './page-server-paths.js';

const [url, first, last, level, out, inFlight = '8'] = process.argv.slice(2);
const pool = new Pool(url, { connections: Number(inFlight) });
const gzip = createGzip({ level: Number(level) });
const file = createWriteStream(out);
gzip.pipe(file);

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
let next = Number(first);
let records = 0;
let lastStart: number | undefined;
let maxGap = 0;
let answered = false;

/** Takes pages off the shared counter until none is left. */
async function lane(): Promise<void> {
  while (next <= Number(last)) {
    const page = next++;
    const now = performance.now();
    // gaps count once the first answer is in (the first IN_FLIGHT requests leave together), as in pagefleet
    if (lastStart !== undefined && answered) maxGap = Math.max(maxGap, now - lastStart);
    lastStart = now;
    const { statusCode, body } = await pool.request({ path: `${PAGES_PATH}?page=${page}`, method: 'GET' });
    answered = true;
    const text = await body.text();
    if (statusCode !== 200) throw new Error(`page ${page}: HTTP ${statusCode}`);
    const list = JSON.parse(text).results as unknown[];
    records += list.length;
    if (!gzip.write(list.map((r) => JSON.stringify(r)).join('\n') + '\n')) await once(gzip, 'drain');
  }
}

await Promise.all(Array.from({ length: Number(inFlight) }, lane));
gzip.end();
await finished(file);
await pool.close();
loop.disable();
process.stdout.write(
  JSON.stringify({
    pages: Number(last) - Number(first) + 1,
    records,
    maxRequestGapMs: Math.round(maxGap),
    maxEventLoopBlockMs: Math.round(loop.max / 1e6),
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + '\n',
);
