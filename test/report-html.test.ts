import assert from 'node:assert/strict';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, chromiumMissing } from './chromium.js';
import { run, startMockApi, tempDir, writeJob } from './harness.js';
import { colourStats, decodePng } from './png.js';
import { createBucket, s3Env, startMotoServer, type MotoServer } from './s3-server.js';

/**
 * `pagefleet report --html` on a real run: 2 executors against the demo API with injected faults (429s
 * from its rate limit, 5xx, and pages past its cap that fail for good with HTTP 400), then the page is
 * opened in headless Chromium and checked as rendered, and as a screenshot.
 */
const TOKEN = 'rpt-Secret-7c1e9a'; // the API's bearer token: a secret that must appear nowhere in the report
const PAGES = 60; // the spec asks for 60 pages, the API serves 56 (--max-pages): 57..60 fail for good
let api: Awaited<ReturnType<typeof startMockApi>>;

before(async () => {
  const missing = chromiumMissing();
  if (missing) assert.fail(`report-html needs a headless browser: ${missing}`);
  api = await startMockApi([
    '--size', '3000', '--per-page', '50', '--max-pages', '56', '--seed', '3',
    '--error-rate', '0.15', '--rate-limit', '8', '--latency', '20', '--latency-jitter', '80',
    '--require-token', TOKEN,
  ]);
});
after(() => api?.stop());

function jobYaml(root: string, extra = ''): string {
  return `dataset: movies
source:
  url: "${api.url}/3/discover/movie"
  headers: { Authorization: "Bearer \${PF_REPORT_TOKEN}" }
  records: results
pagination: { page: { end: ${PAGES} } }
limits: { rate: 20, concurrency: 4, retries: 6 }
output: { root: "${root}", formats: [parquet, ndjson], file_target: 64KiB${extra} }
`;
}

/** The expected outcome line, from `pagefleet status --json` (the report must say what status says). */
function expectedOutcome(st: any): string {
  const classes = Object.entries(st.failures as Record<string, number>).map(([k, v]) => `${k}: ${v}`).join(', ');
  return `INCOMPLETE: ${st.totals.failed} failed, ${st.totals.missing} missing of ${st.totals.planned} pages (${classes})`;
}

const unescape = (s: string) =>
  s.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim();

/** The `<svg id=…>` element of a chart, as rendered. */
function svg(dom: string, id: string): string {
  const m = new RegExp(`<svg[^>]*\\bid="${id}"[\\s\\S]*?</svg>`).exec(dom);
  assert.ok(m, `chart ${id} is on the page`);
  return m[0];
}

/** Rows of a table (by id) as arrays of cell texts. */
function tableRows(dom: string, id: string): string[][] {
  const table = new RegExp(`<table[^>]*\\bid="${id}"[\\s\\S]*?</table>`).exec(dom);
  assert.ok(table, `table ${id} is on the page`);
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table[0])![1];
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => unescape(c[1])));
}

/** Path `d` attributes of a chart's series with at least two points. */
function drawnPaths(chart: string): string[] {
  return [...chart.matchAll(/<path[^>]*class="series"[^>]*\bd="([^"]+)"/g)].map((m) => m[1]).filter((d) => /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+$/.test(d));
}

/** Widths of the rects of a class in a chart. */
function rectWidths(chart: string, cls: string): number[] {
  return [...chart.matchAll(new RegExp(`<rect[^>]*class="${cls}[^"]*"[^>]*>`, 'g'))].map((m) => Number(/\bwidth="([\d.]+)"/.exec(m[0])?.[1] ?? 0));
}

test('the report of a faulty 2-executor run, rendered by Chromium: outcome, charts, failures, nothing fetched', async () => {
  const dir = await tempDir('pf-report-');
  const job = await writeJob(dir, jobYaml(join(dir, 'landing')));
  const env = { PF_REPORT_TOKEN: TOKEN };
  const ingest = await run(['ingest', job, '--executors', '2', '--run-id', 'rpt'], env);
  assert.equal(ingest.code, 1, `pages past the API's cap fail the run\n${ingest.stderr.slice(-2000)}`);
  const st = await run(['status', job, '--run-id', 'rpt', '--json'], env);
  assert.equal(st.code, 1, st.stderr);
  const status = JSON.parse(st.stdout);
  assert.deepEqual(status.failures, { 'CLIENT_ERROR 400': 4 });

  const html = join(dir, 'report.html');
  const rep = await run(['report', job, '--run-id', 'rpt', '--html', html], env);
  assert.equal(rep.code, 0, rep.stderr);
  assert.match(rep.stderr, /report of run rpt \(INCOMPLETE\) written to /);
  const source = await readFile(html, 'utf8');

  const dom = await chromium(html, '--dump-dom');
  assert.match(dom, /<html/, 'Chromium rendered the page');

  // the outcome line, as status computes it
  const outcome = unescape(/<p id="outcome"[^>]*>([\s\S]*?)<\/p>/.exec(dom)![1]);
  assert.equal(outcome, expectedOutcome(status));
  assert.equal(outcome, `INCOMPLETE: 4 failed, 0 missing of ${PAGES} pages (CLIENT_ERROR 400: 4)`);
  assert.match(dom, /<p id="outcome" class="outcome incomplete">/);

  // every chart is drawn, with data in it
  assert.equal(drawnPaths(svg(dom, 'chart-pages')).length, 2, 'pages/s: one line per executor');
  const rate = svg(dom, 'chart-rate');
  assert.equal(drawnPaths(rate).length, 1, 'requests/s is drawn');
  assert.match(rate, /class="ceiling"/, 'the rate limit is drawn');
  assert.match(rate, /limits\.rate 20\/s/);
  assert.ok(rectWidths(svg(dom, 'chart-latency'), 'bar').some((w) => w > 0), 'latency histogram has bars');
  assert.equal(drawnPaths(svg(dom, 'chart-files')).length, 2, 'files landed: one line per format');
  assert.equal(drawnPaths(svg(dom, 'chart-bytes')).length, 2, 'bytes landed: one line per format');
  assert.ok(rectWidths(svg(dom, 'chart-failures'), 'bar').some((w) => w > 0), 'failures chart has bars');
  const sessions = rectWidths(svg(dom, 'chart-sessions'), 'session');
  assert.equal(sessions.length, status.executors.reduce((n: number, e: any) => n + e.sessions.length, 0), 'one bar per session');
  assert.ok(sessions.every((w) => w > 0));

  // failures by class and status, each with an example message
  const failures = tableRows(dom, 'failures');
  const capped = failures.find(([cls, code]) => cls === 'CLIENT_ERROR' && code === '400');
  assert.ok(capped, `the failing pages' class and status are in the table: ${JSON.stringify(failures)}`);
  assert.equal(capped[3], '4', 'failed pages');
  assert.match(capped[4], /Invalid page/, 'with an example message');
  const throttled = failures.find(([cls, code]) => cls === 'THROTTLING' && code === '429');
  assert.ok(throttled && Number(throttled[2]) > 0, `429s were retried: ${JSON.stringify(failures)}`);
  assert.ok(failures.some(([cls, , retries]) => cls === 'SERVER_ERROR' && Number(retries) > 0), '5xx were retried');
  assert.ok(failures.every((r) => r[4].length > 0), 'every row has an example');

  // executors: owned, taken, landed, as status says
  const executors = tableRows(dom, 'executors');
  assert.deepEqual(
    executors.map((r) => r.slice(0, 6).map(Number)),
    status.executors.map((e: any) => [e.executor, e.planned, e.landed, e.failed, e.missing, e.taken]),
  );
  assert.ok(tableRows(dom, 'slowest').length > 0, 'slowest pages are listed');

  // no secret, nothing to fetch: the only URLs are the API's, shown as text
  for (const text of [source, dom]) assert.ok(!text.includes(TOKEN), 'the token appears nowhere');
  for (const url of dom.match(/https?:\/\/[^\s"'<>)]*/g) ?? []) assert.ok(url.startsWith(api.url), `only the API URL, as text: ${url}`);
  assert.doesNotMatch(dom, /\b(src|href|srcset|action|poster|xlink:href)\s*=/i, 'no resource attributes');
  assert.doesNotMatch(dom, /<(script|link|iframe|img|object|embed)\b/i, 'no script, stylesheet or image elements');
  assert.doesNotMatch(dom, /@import|url\((?!#)/i, 'CSS loads nothing');
  assert.match(source, /Content-Security-Policy" content="default-src 'none'/);

  // the screenshot is a real picture of the page
  const png = join(dir, 'report.png');
  await chromium(html, `--screenshot=${png}`);
  const bytes = await readFile(png);
  assert.ok(bytes.length > 20_000, `screenshot is ${bytes.length} bytes`);
  const img = decodePng(bytes);
  assert.deepEqual([img.width, img.height], [1280, 2000]);
  const colours = colourStats(img);
  assert.ok(colours.distinct > 50, `${colours.distinct} distinct colours`);
  assert.ok(colours.nonBackground > 0.05, `${(colours.nonBackground * 100).toFixed(1)}% of the pixels are not background`);
  if (process.env.PF_REPORT_PNG) await copyFile(png, process.env.PF_REPORT_PNG); // how docs/report.png is made
});

test('the report reads an S3 landing zone the same way', async (t) => {
  let moto: MotoServer | undefined;
  t.after(() => moto?.stop());
  moto = await startMotoServer();
  await createBucket(moto.endpoint, 'lake');
  const dir = await tempDir('pf-report-s3-');
  const job = await writeJob(dir, jobYaml('s3://lake/raw'));
  const env = { ...s3Env(moto.endpoint), PF_REPORT_TOKEN: TOKEN };
  const ingest = await run(['ingest', job, '--executors', '2', '--run-id', 'rpt-s3'], env);
  assert.equal(ingest.code, 1, ingest.stderr.slice(-2000));
  const status = JSON.parse((await run(['status', job, '--run-id', 'rpt-s3', '--json', '--quick'], env)).stdout);

  const html = join(dir, 'report.html');
  const rep = await run(['report', job, '--run-id', 'rpt-s3', '--html', html, '--quick'], env);
  assert.equal(rep.code, 0, rep.stderr);
  const dom = await chromium(html, '--dump-dom');
  assert.equal(unescape(/<p id="outcome"[^>]*>([\s\S]*?)<\/p>/.exec(dom)![1]), expectedOutcome(status));
  assert.match(unescape(/<dd[^>]*>(s3:[^<]*)<\/dd>/.exec(dom)?.[1] ?? ''), /^s3:\/\/lake\/raw/, 'the landing zone is the bucket');
  assert.equal(drawnPaths(svg(dom, 'chart-pages')).length, 2);
  assert.ok(tableRows(dom, 'failures').some(([cls, code, , failed]) => cls === 'CLIENT_ERROR' && code === '400' && failed === '4'));
  assert.ok(!dom.includes(TOKEN));
});

test('report without --html is bad input: one line, exit 2, nothing written', async () => {
  const dir = await tempDir('pf-report-bad-');
  const job = await writeJob(dir, jobYaml(join(dir, 'landing')));
  const r = await run(['report', job, '--run-id', 'nope'], { PF_REPORT_TOKEN: TOKEN });
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'pagefleet: --html: expected the path of the HTML file to write\n');
  // a folder that does not exist: found only after the run was read, still one line and exit 2
  await run(['ingest', job, '--run-id', 'tiny', '--end', '1'], { PF_REPORT_TOKEN: TOKEN });
  const target = join(dir, 'no-such-folder', 'r.html');
  const w = await run(['report', job, '--run-id', 'tiny', '--end', '1', '--html', target], { PF_REPORT_TOKEN: TOKEN });
  assert.equal(w.code, 2, w.stderr);
  assert.equal(w.stderr, `pagefleet: --html: a file that can be written, got ${target} (ENOENT)\n`);
});
