import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { before, describe, test } from 'node:test';
import { secretForms } from '../src/http/secret-forms.js';
import { PYTHON, REPO, pagefleet, run, startMockApi, tempDir, waitFor, writeJob } from './harness.js';

/**
 * docs/design.md, "Secrets are never written": a `${VAR}` value never appears, in any spelling, in anything
 * written or printed. Every case runs `pagefleet ingest` (2 executors) against the real mock API, which
 * demands the secret as a bearer token AND as the api_key query parameter (so a mangled secret fails the
 * run), then reads every byte under the landing root (gunzipped, Parquet decoded with pyarrow) plus stdout
 * and stderr.
 */
const SECRETS: Record<string, string> = {
  special: `a~b(c)d!e'f g/h+i%j"k\\l`,
  password: 'p@ss w0rd/+=',
  percent: '%41%2F',
  two_chars: 'ab',
  one_char: 'x',
  non_ascii: 'päss',
  token: 'ghp_7Kq2Zx9Lm4Np8Rs1Tv6Wy3Ab5Cd0Ef2Gh4J',
};

/** Spellings shorter than this match ordinary text; such secrets are checked by structure instead. */
const MEANINGFUL_CHARS = 4;

const STYLES = {
  page: { path: '/3/movie/popular', pagination: '{ page: { total_pages: total_pages, end: 5, size_param: per_page, size: 20 } }', slices: '' },
  cursor: { path: '/cursor', pagination: '{ cursor: { param: cursor, next: meta.next_cursor, limit_param: limit, limit: 4 } }', slices: 'slices: { param: year, values: [2001, 2002, 2003, 2004] }' },
  link: { path: '/link?limit=4', pagination: '{ link: { next: links.next } }', slices: 'slices: { param: year, values: [2001, 2002, 2003, 2004] }' },
};
type Style = keyof typeof STYLES;


/** Spellings of `v`, computed here with the platform's own encoders, plus every form secret-forms.ts knows. */
function spellings(v: string): string[] {
  const form = new URLSearchParams({ v }).toString().slice(2);
  const component = encodeURIComponent(v);
  const percent = [
    form,
    form.replace(/\+/g, '%20'),
    component,
    component.replace(/%20/g, '+'),
    component.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    encodeURI(v),
    new URL(`http://h/?q=${v}`).search.slice(3),
    [...Buffer.from(v)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  ].flatMap((p) => [p, p.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())]);
  const json = (s: string) => JSON.stringify(s).slice(1, -1);
  const jsons = (s: string) => [json(s), json(s).replace(/\//g, '\\/'), json(s).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)];
  const all = [v, ...percent, ...[v, ...percent].flatMap(jsons), ...secretForms(v).map((f) => f.text)];
  return [...new Set(all)].filter((s) => s.length >= MEANINGFUL_CHARS);
}

interface Written {
  file: string;
  /** What is searched: the UTF-8 and Latin-1 views of the bytes (or the decoded Parquet). */
  text: string;
  /** The bytes as UTF-8, for parsing. */
  utf8: string;
  /** Under <dataset>/parquet or <dataset>/ndjson: record data. */
  data: boolean;
}

/** Every file under each root as text: UTF-8 and Latin-1 views of the bytes, gunzipped, Parquet decoded (one pyarrow run). */
async function everythingWritten(roots: string[]): Promise<Map<string, Written[]>> {
  const byRoot = new Map<string, Written[]>();
  const parquet: [root: string, file: string][] = [];
  for (const root of roots) {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    const out: Written[] = [];
    for (const file of entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))) {
      const raw = await readFile(file);
      const bytes = file.endsWith('.gz') ? gunzipSync(raw) : raw;
      const data = /\/(parquet|ndjson)\/ingest_date=/.test(file);
      out.push({ file, data, utf8: bytes.toString('utf8'), text: `${bytes.toString('utf8')}\n${bytes.toString('latin1')}` });
      if (file.endsWith('.parquet')) parquet.push([root, file]);
    }
    byRoot.set(root, out);
  }
  if (parquet.length) {
    const r = spawnSync(PYTHON, [join(REPO, 'test/parquet_text.py'), ...parquet.map(([, f]) => f)], { encoding: 'utf8', maxBuffer: 256 << 20 });
    assert.equal(r.status, 0, r.stderr);
    r.stdout.trim().split('\n').forEach((line, i) => {
      const { file, text } = JSON.parse(line) as { file: string; text: string };
      byRoot.get(parquet[i][0])!.push({ file: `${file} (decoded)`, data: true, text, utf8: text });
    });
  }
  return byRoot;
}

function assertNoSpelling(secret: string, where: { file: string; text: string }[]): void {
  for (const s of spellings(secret)) {
    for (const w of where) assert.ok(!w.text.includes(s), `${JSON.stringify(s)} (a spelling of the secret) in ${w.file}`);
  }
}

/** Keys are identifiers: a masked short secret (`e***ecutor`) breaks this. */
const identifier = /^[A-Za-z][A-Za-z0-9_]*$/;
function assertKeys(obj: Record<string, unknown>, required: string[], what: string): void {
  for (const k of Object.keys(obj)) assert.match(k, identifier, `${what}: key ${k}`);
  for (const k of required) assert.ok(k in obj, `${what}: ${k} missing in ${JSON.stringify(obj)}`);
}

const jsonLines = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);

interface CaseResult {
  root: string;
  written: Written[];
  stdout: string;
  stderr: string;
  summary: Record<string, any>;
}

type Mock = Awaited<ReturnType<typeof startMockApi>>;

/** The mock API of one secret: it answers 401 unless the request carries the secret intact, as token and as api_key. */
const mockFor = (secret: string, flags: string[] = []) =>
  startMockApi(['--size', '750', '--per-page', '20', '--require-token', secret, '--require-param', `api_key=${secret}`, ...flags]);

/** Runs `pagefleet ingest` (2 executors, --json) for one style against `api`; must exit 0. */
async function ingestStyle(api: Mock, secret: string, style: Style, logFormat: 'json' | 'text'): Promise<Omit<CaseResult, 'written'>> {
  const dir = await tempDir('pf-secrets-');
  const root = join(dir, 'landing');
  const s = STYLES[style];
  const job = await writeJob(
    dir,
    `dataset: secret_${style}
source:
  url: "${api.url}${s.path}"
  headers: { Authorization: "Bearer \${PF_TEST_SECRET}" }
  params: { api_key: "\${PF_TEST_SECRET}" }
  records: results
pagination: ${s.pagination}
${s.slices}
limits: { rate: 500, concurrency: 2, retries: 2 }
output: { root: "${root}", formats: [parquet, ndjson], file_target: 6KiB }
`,
  );
  const args = ['ingest', job, '--executors', '2', '--run-id', `secrets-${style}`, '--json', '--log-format', logFormat];
  const r = await run(args, { PF_TEST_SECRET: secret });
  assert.equal(r.code, 0, `${style}: exit code; stderr: ${r.stderr}\nstdout: ${r.stdout}`);
  return { root, stdout: r.stdout, stderr: r.stderr, summary: JSON.parse(r.stdout) };
}

/** Every style for one secret, concurrently, against one mock; then everything written, read back. */
async function ingestStyles(secret: string, styles: [Style, 'json' | 'text'][], mockFlags: string[] = []): Promise<{ cases: CaseResult[]; mock: Record<string, any> }> {
  const api = await mockFor(secret, mockFlags);
  let runs, mock;
  try {
    runs = await Promise.all(styles.map(([style, logFormat]) => ingestStyle(api, secret, style, logFormat)));
    mock = await api.stats();
  } finally {
    await api.stop();
  }
  const written = await everythingWritten(runs.map((r) => r.root));
  return { cases: runs.map((r) => ({ ...r, written: written.get(r.root)! })), mock };
}

/** The commit entries of the block logs (`_pagefleet/<dataset>/run_id=<run>/blocks/b<block>/<version>.json`). */
const commitEntries = (written: Written[]) =>
  written.filter((w) => w.file.includes('/blocks/')).map((w) => ({ file: w.file, entry: JSON.parse(w.utf8) })).filter((e) => e.entry.kind === 'commit');

/**
 * Every control file and ledger line still parses with its keys intact (a masked short secret must not
 * break them); the next URLs stored in commit entries keep a placeholder for the api_key.
 */
function assertStructure(c: CaseResult, style: Style): void {
  for (const w of c.written.filter((w) => w.file.includes('/_pagefleet/') && w.file.endsWith('.json'))) {
    assertKeys(JSON.parse(w.utf8), [], w.file);
  }
  const commits = commitEntries(c.written);
  assert.ok(commits.length >= 2, 'several files were committed');
  for (const { file, entry } of commits) {
    assertKeys(entry, ['file', 'format', 'executor', 'pages', 'records'], file);
    if (style === 'page') continue;
    for (const next of entry.next.filter(Boolean)) assert.match(next, /[?&]api_key=\{\{pf-secret-0-[a-z0-9.-]+\}\}/, `${file}: ${next}`);
  }
  const ledger = c.written.filter((w) => w.file.includes('/ledger/'));
  assert.ok(ledger.length > 0, 'ledger segments were written');
  for (const w of ledger) {
    for (const line of jsonLines(w.utf8)) {
      assertKeys(line, ['run_id', 'dataset', 'executor', 'page', 'attempt', 'status', 'started_at'], w.file);
    }
  }
}

function assertSummary(c: CaseResult, logFormat: 'json' | 'text'): void {
  assertKeys(c.summary, ['status', 'exit_code', 'pages_fetched', 'warnings', 'secret_echoes', 'landing', 'data_paths'], 'summary');
  assertKeys(c.summary.status, ['run_id', 'complete', 'totals'], 'summary.status');
  assert.equal(c.summary.status.complete, true);
  assert.ok(c.summary.pages_fetched >= 5, 'a few pages');
  for (const line of c.stderr.split('\n').filter(Boolean)) {
    if (logFormat === 'json') assertKeys(JSON.parse(line), ['ts', 'event'], 'stderr line');
    else assert.match(line, /^pagefleet: [a-z_]+( |$)/);
  }
}

const printed = (c: Pick<CaseResult, 'stdout' | 'stderr'>, tag = '') => [{ file: `stdout${tag}`, text: c.stdout }, { file: `stderr${tag}`, text: c.stderr }];

const STYLE_NAMES = Object.keys(STYLES) as Style[];

Object.entries(SECRETS).forEach(([label, secret], i) => {
  const meaningful = secret.length >= MEANINGFUL_CHARS;
  const styles = STYLE_NAMES.map((style, k): [Style, 'json' | 'text'] => [style, (i + k) % 2 ? 'json' : 'text']);
  describe(`secret ${label} (${JSON.stringify(secret)})`, () => {
    let ran: Awaited<ReturnType<typeof ingestStyles>>;
    before(async () => {
      ran = await ingestStyles(secret, styles);
    });

    test('the API got the secret intact on every request (bearer token and api_key)', () => {
      assert.ok(ran.mock.requests >= 3 * 5);
      assert.equal(ran.mock.byStatus['401'], undefined, JSON.stringify(ran.mock));
    });

    styles.forEach(([style, logFormat], k) => {
      test(`${style} style, --log-format ${logFormat}: nothing written or printed holds the secret`, () => {
        const c = ran.cases[k];
        assertSummary(c, logFormat);
        assertStructure(c, style);
        if (meaningful) assertNoSpelling(secret, [...c.written, ...printed(c)]);
      });
    });
  });
});

test('an API that echoes the secret into its records: data kept as sent, a ledger warning and a summary count', async (t) => {
  const secret = SECRETS.password;
  const { cases, mock } = await ingestStyles(secret, [['cursor', 'json']], ['--echo-param', 'api_key']);
  const [c] = cases;
  assertSummary(c, 'json');
  assert.equal(mock.byStatus['401'], undefined);
  const data = c.written.filter((w) => w.data);
  assert.ok(data.some((w) => w.file.endsWith('(decoded)') && w.text.includes(secret)), 'Parquet holds the echoed value as sent');
  assert.ok(data.some((w) => w.file.endsWith('.ndjson.gz') && w.text.includes(JSON.stringify(secret))), 'NDJSON holds it as sent');
  assertNoSpelling(secret, [...c.written.filter((w) => !w.data), ...printed(c)]);
  await t.test('a ledger warning per landed page and summary.secret_echoes', () => {
    const landed = c.written
      .filter((w) => w.file.includes('/ledger/'))
      .flatMap((w) => jsonLines(w.utf8))
      .filter((e) => e.status === 'landed');
    assert.ok(landed.length >= 5);
    for (const e of landed) assert.match(String(e.warning), /secret/i, JSON.stringify(e));
    assert.equal(c.summary.secret_echoes, c.summary.status.totals.landed);
  });
});

test('resume after a kill with a rotated secret: the stored next URLs are re-filled with the new one', async () => {
  const [a, b] = [SECRETS.special, SECRETS.password];
  const mockA = await startMockApi(['--size', '750', '--latency', '120', '--require-token', a, '--require-param', `api_key=${a}`]);
  const port = new URL(mockA.url).port;
  const dir = await tempDir('pf-secrets-');
  const root = join(dir, 'landing');
  const job = await writeJob(
    dir,
    `dataset: secret_resume
source:
  url: "${mockA.url}/cursor"
  headers: { Authorization: "Bearer \${PF_TEST_SECRET}" }
  params: { api_key: "\${PF_TEST_SECRET}" }
  records: results
pagination: { cursor: { param: cursor, next: meta.next_cursor, limit_param: limit, limit: 2 } }
slices: { param: year, values: [2001, 2002, 2003, 2004] }
limits: { rate: 500, concurrency: 1 }
output: { root: "${root}", formats: [ndjson, parquet], file_target: 100 }
`,
  );
  const args = ['ingest', job, '--executors', '2', '--run-id', 'rotated', '--json', '--log-format', 'json'];
  let first;
  try {
    const p = pagefleet(args, { PF_TEST_SECRET: a });
    const blocks = join(root, '_pagefleet/secret_resume/run_id=rotated/blocks');
    const committed = async () => {
      const entries = await readdir(blocks, { recursive: true, withFileTypes: true }).catch(() => []);
      const bodies = await Promise.all(entries.filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name), 'utf8').catch(() => '')));
      return bodies.filter((b) => b.includes('"kind":"commit"')).length >= 2;
    };
    await waitFor(committed, 30_000);
    p.child.kill('SIGTERM');
    first = await p.done;
    assert.equal((await mockA.stats()).byStatus['401'], undefined);
  } finally {
    await mockA.stop();
  }
  assert.equal(first.code, 130, first.stderr);
  assert.equal(JSON.parse(first.stdout).status.complete, false, 'the kill left pages to fetch');

  // the same origin (stored next URLs name it), now accepting only B
  const mockB = await startMockApi(['--size', '750', '--port', port, '--require-token', b, '--require-param', `api_key=${b}`]);
  let second, stats;
  try {
    second = await run(args, { PF_TEST_SECRET: b });
    stats = await mockB.stats();
  } finally {
    await mockB.stop();
  }
  assert.equal(second.code, 0, second.stderr);
  const summary = JSON.parse(second.stdout);
  assert.equal(summary.status.complete, true);
  assert.equal(stats.byStatus['401'], undefined, 'every resumed request carried B, never A');
  assert.ok(stats.requests > 0 && summary.pages_fetched < summary.status.totals.landed, 'the chains went on from where they stopped');
  const written = (await everythingWritten([root])).get(root)!;
  const stored = commitEntries(written).flatMap((e) => e.entry.next ?? []);
  assert.ok(stored.some((n: string | null) => n?.includes('api_key={{pf-secret-0-')), 'next URLs are stored with a placeholder');
  const outputs = [first, second].flatMap((r, i) => [{ file: `stdout ${i}`, text: r.stdout }, { file: `stderr ${i}`, text: r.stderr }]);
  for (const secret of [a, b]) assertNoSpelling(secret, [...written, ...outputs]);
});

test('errors: one redacted line; the stack only with PAGEFLEET_DEBUG=1, redacted too', async () => {
  const secret = SECRETS.special;
  const dir = await tempDir('pf-secrets-');
  await writeFile(join(dir, 'a-file'), '');
  const spec = (root: string) => `dataset: errs
source: { url: "http://127.0.0.1:9/x", records: results }
pagination: { page: { end: 2 } }
output: { root: "${root}" }
`;
  // the landing root holds the secret and cannot be created: the message names it
  const unwritable = await writeJob(dir, spec(`${dir}/a-file/\${PF_TEST_SECRET}/landing`), 'unwritable.yaml');
  // a broken plan.json: one line naming the file (src/landing/read-json-entry.ts), exit 2
  const broken = await writeJob(dir, spec(join(dir, 'landing')), 'broken.yaml');
  await mkdir(join(dir, 'landing/_pagefleet/errs/run_id=r'), { recursive: true });
  await writeFile(join(dir, 'landing/_pagefleet/errs/run_id=r/plan.json'), 'not a plan');
  const env = { PF_TEST_SECRET: secret };
  for (const [args, code, line] of [
    [['ingest', unwritable], 3, /^pagefleet: output\.root: landing zone .*\/a-file\/\*\*\*\/landing is not writable/],
    [['status', broken, '--run-id', 'r'], 2, /^pagefleet: \S+\/_pagefleet\/errs\/run_id=r\/plan\.json: expected a run's plan \(.*JSON.*\); repair or delete the file$/m],
  ] as const) {
    const quiet = await run([...args], env);
    assert.equal(quiet.code, code, quiet.stderr);
    assert.deepEqual(quiet.stderr.trimEnd().split('\n').length, 1, quiet.stderr);
    assert.match(quiet.stderr, line);
    const debug = await run([...args], { ...env, PAGEFLEET_DEBUG: '1' });
    assert.equal(debug.code, code);
    const lines = debug.stderr.trimEnd().split('\n');
    assert.match(lines[0], line);
    assert.ok(lines.slice(1).some((l) => /^\s+at /.test(l)), `a stack: ${debug.stderr}`);
    assertNoSpelling(secret, [...printed(quiet), ...printed(debug, ' (debug)')]);
  }
});
