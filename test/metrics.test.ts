/**
 * `ingest --metrics-port` for real: the demo API with 429s (its rate limit is below the job's rate) and
 * 5xx answers, a local run of 2 executor processes, the parent serving both children's series. The
 * endpoint is scraped while pages are in flight (the format, both executors' labels), and once more after
 * the run (--metrics-linger keeps it up); that last scrape must agree with the ledger and the landing zone.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pagefleet, run, startMockApi, tempDir, waitFor, writeJob } from './harness.js';

type Series = Map<string, number>; // `name{labels}` → value

/** Parses the text exposition into samples, checking every family has HELP and TYPE before its samples. */
function parseExposition(text: string): Series {
  const out: Series = new Map();
  const declared = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const meta = /^# (HELP|TYPE) (\w+) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') declared.set(meta[2], meta[3]);
      continue;
    }
    const m = /^(\w+)(\{[^}]*\})? (\S+)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const family = m[1].replace(/_(bucket|sum|count)$/, (suffix) => (declared.get(m[1].slice(0, -suffix.length)) === 'histogram' ? '' : suffix));
    assert.ok(declared.has(family), `${m[1]} has no TYPE line before it`);
    out.set(m[1] + (m[2] ?? ''), Number(m[3]));
  }
  return out;
}

const valueOf = (s: Series, key: string) => s.get(key) ?? 0;

const scrape = async (url: string) => {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return res.text();
};

async function ledgerLines(root: string, runId: string): Promise<any[]> {
  const dir = join(root, '_pagefleet/movies', `run_id=${runId}`, 'ledger');
  const lines: any[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !e.name.endsWith('.jsonl')) continue;
    for (const l of (await readFile(join(e.parentPath, e.name), 'utf8')).split('\n')) if (l) lines.push(JSON.parse(l));
  }
  return lines;
}

const stops: (() => Promise<void>)[] = [];
after(async () => {
  for (const s of stops) await s();
});

test('a local run serves both executors\' metrics; the last scrape matches the ledger', { timeout: 180_000 }, async () => {
  const api = await startMockApi(['--size', '3000', '--per-page', '20', '--rate-limit', '12', '--error-rate', '0.08', '--latency', '20', '--seed', '7']);
  stops.push(api.stop);
  const dir = await tempDir();
  const root = join(dir, 'landing');
  const job = await writeJob(
    dir,
    `dataset: movies
source: { url: "${api.url}/3/movie/popular", records: results }
pagination: { page: { param: page, start: 1, total_pages: total_pages } }
limits: { rate: 20, concurrency: 4, retries: 8 }
output: { root: ${root}, formats: [ndjson] }
`,
  );
  const runId = 'metrics-run';
  const p = pagefleet(['ingest', job, '--executors', '2', '--run-id', runId, '--metrics-port', '0', '--metrics-linger', '10m', '--json']);
  stops.push(async () => {
    if (p.child.exitCode === null) p.child.kill('SIGKILL');
  });
  let stderr = '';
  let stdout = '';
  p.child.stderr!.on('data', (d) => (stderr += d));
  p.child.stdout!.on('data', (d) => (stdout += d));
  const url = (await waitFor(() => /metrics_serving url=(\S+)/.exec(stderr)?.[1], 60_000))!;
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/, 'bound to loopback by default');

  // during the run: both executors report, with pages still to fetch
  const during = (await waitFor(async () => {
    const s = parseExposition(await scrape(url));
    const fetched = ['0', '1'].map((e) => valueOf(s, `pagefleet_pages_fetched_total{executor="${e}"}`));
    return fetched.every((n) => n > 0) && stdout === '' ? s : undefined;
  }, 120_000, 100))!;
  assert.equal(valueOf(during, 'pagefleet_pages_planned{executor="0"}') + valueOf(during, 'pagefleet_pages_planned{executor="1"}'), 150);
  assert.ok(during.has('pagefleet_http_request_duration_seconds_bucket{executor="0",le="+Inf"}'));
  assert.ok(during.has('pagefleet_http_requests_in_flight{executor="1"}'));
  assert.ok(valueOf(during, 'pagefleet_rate_share_requests_per_second{executor="0"}') === 10, 'each executor: half of limits.rate');

  // after the run: the summary is out, the endpoint lingers with the final values
  const summary = JSON.parse((await waitFor(() => (stdout.includes('\n') ? stdout : undefined), 150_000))!);
  assert.equal(summary.exit_code, 0);
  const final = parseExposition(await scrape(url));
  p.child.kill('SIGTERM'); // ends the linger; the exit code stays the run's
  const { code } = await p.done;
  assert.equal(code, 0);

  const ledger = await ledgerLines(root, runId);
  const sumOf = (f: (e: any) => boolean) => ledger.filter(f).length;
  let retriesSeen = 0;
  for (const e of ['0', '1']) {
    const mine = (x: any) => x.executor === Number(e);
    const landed = ledger.filter((x) => mine(x) && x.status === 'landed');
    assert.equal(valueOf(final, `pagefleet_pages_landed_total{executor="${e}"}`), landed.length, `executor ${e}: pages landed`);
    assert.equal(valueOf(final, `pagefleet_records_landed_total{executor="${e}"}`), landed.reduce((t, x) => t + x.records, 0));
    assert.equal(valueOf(final, `pagefleet_pages_failed_total{executor="${e}"}`), sumOf((x) => mine(x) && x.status === 'failed'));
    for (const cls of ['THROTTLING', 'SERVER_ERROR', 'TRANSIENT', 'TIMEOUT', 'BAD_BODY']) {
      const n = sumOf((x) => mine(x) && x.status === 'retrying' && x.error_class === cls);
      assert.equal(valueOf(final, `pagefleet_http_retries_total{executor="${e}",error_class="${cls}"}`), n, `executor ${e}: ${cls} retries`);
      retriesSeen += n;
    }
    const with429 = sumOf((x) => mine(x) && x.http_status === 429);
    assert.equal(valueOf(final, `pagefleet_http_requests_total{executor="${e}",code="429"}`), with429, `executor ${e}: 429 answers`);
    const attempts = sumOf(mine);
    const requests = [...final].filter(([k]) => k.startsWith(`pagefleet_http_requests_total{executor="${e}",`)).reduce((t, [, v]) => t + v, 0);
    assert.equal(requests, attempts, `executor ${e}: one request per ledger line`);
    assert.equal(valueOf(final, `pagefleet_http_request_duration_seconds_count{executor="${e}"}`), attempts);
    assert.equal(valueOf(final, `pagefleet_http_requests_in_flight{executor="${e}"}`), 0);
  }
  assert.equal(sumOf((x) => x.status === 'landed'), 150, 'the whole catalogue landed');
  assert.ok(sumOf((x) => x.http_status === 429) > 0, 'the API did throttle');
  assert.ok(retriesSeen > sumOf((x) => x.http_status === 429), 'and answered 5xx too');

  // bytes landed: the data files' sizes on disk
  const dataDir = join(root, 'movies/ndjson');
  let bytes = 0;
  for (const e of await readdir(dataDir, { recursive: true, withFileTypes: true })) if (e.isFile() && e.name.endsWith('.ndjson.gz')) bytes += (await stat(join(e.parentPath, e.name))).size;
  assert.equal(valueOf(final, 'pagefleet_landed_bytes_total{executor="0"}') + valueOf(final, 'pagefleet_landed_bytes_total{executor="1"}'), bytes);
});

test('a port in use is bad input: one line naming the flag, exit 2, nothing written', async () => {
  const { createServer } = await import('node:net');
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  stops.push(() => new Promise((r) => busy.close(() => r())));
  const port = (busy.address() as import('node:net').AddressInfo).port;
  const dir = await tempDir();
  const job = await writeJob(dir, `dataset: movies
source: { url: "http://127.0.0.1:9/x", records: results }
pagination: { page: { param: page, start: 1, end: 3 } }
output: { root: ${join(dir, 'landing')} }
`);
  const r = await run(['ingest', job, '--executors', '1', '--metrics-port', String(port)]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `pagefleet: --metrics-port: cannot listen on 127.0.0.1:${port} (EADDRINUSE)\n`);
  await assert.rejects(readdir(join(dir, 'landing')), /ENOENT/);
  const bad = await run(['ingest', job, '--metrics-port', 'http']);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, 'pagefleet: --metrics-port: expected a port from 0 to 65535, got "http"\n');
});
