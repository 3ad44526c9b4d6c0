/**
 * Size and speed of gzip levels 1, 3 and 6 on NDJSON of TMDB-shaped records (the choice of GZIP_LEVEL).
 *   npm run build && node dist/bench/gzip-levels.js
 */
import { gzipSync } from 'node:zlib';
import { movie } from './parquet-records.js';

const text = Array.from({ length: 20_000 }, (_, i) => JSON.stringify(movie(i + 1))).join('\n') + '\n';
const buf = Buffer.from(text);
console.log('| level | size of the JSON | ms (mean of 3) | MB/s |');
console.log('|---|---|---|---|');
for (const level of [1, 3, 6]) {
  const t = process.hrtime.bigint();
  let out = Buffer.alloc(0);
  for (let i = 0; i < 3; i++) out = gzipSync(buf, { level });
  const ms = Number(process.hrtime.bigint() - t) / 3e6;
  console.log(`| ${level} | ${((100 * out.length) / buf.length).toFixed(1)}% | ${ms.toFixed(0)} | ${(buf.length / 1e6 / (ms / 1000)).toFixed(0)} |`);
}
