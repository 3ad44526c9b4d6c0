import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { run, startMockApi, tempDir, writeJob } from './harness.js';

/** Bad input: one line naming the field, exit 2 (3 when the API or landing zone is unusable), nothing written. */
let api: Awaited<ReturnType<typeof startMockApi>>;
before(async () => {
  api = await startMockApi(['--size', '500']);
});
after(async () => api.stop());

const good = (root: string, url = `${api.url}/3/movie/popular`) => `dataset: movies
source: { url: "${url}", records: results }
pagination: { page: { param: page, start: 1, total_pages: total_pages } }
output: { root: "${root}" }
`;

async function expectBadInput(yaml: (root: string) => string, code: number, pattern: RegExp, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const dir = await tempDir();
  const root = join(dir, 'landing');
  const job = await writeJob(dir, yaml(root));
  const before = (await api.stats()).requests;
  const r = await run(['ingest', job, ...args], env);
  assert.equal(r.code, code, `exit code; stderr: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line: ${r.stderr}`);
  assert.match(lines[0], pattern);
  assert.equal(existsSync(root), false, 'nothing written to the landing zone');
  return { requests: (await api.stats()).requests - before };
}

test('unknown spec field', async () => void (await expectBadInput((r) => good(r).replace('records: results', 'records: results, recrods: x'), 2, /source\.recrods: unknown field/)));
test('missing spec field', async () => void (await expectBadInput((r) => good(r).replace(', records: results', ''), 2, /source\.records: required/)));
test('wrong type', async () => void (await expectBadInput((r) => good(r) + 'limits: { rate: fast }\n', 2, /limits\.rate: expected number/)));
test('unknown pagination style', async () => void (await expectBadInput((r) => good(r).replace('page: { param: page, start: 1, total_pages: total_pages }', 'scroll: {}'), 2, /pagination: expected exactly one style/)));
test('end < start', async () => void (await expectBadInput((r) => good(r).replace('total_pages: total_pages', 'end: 0, total_pages: total_pages').replace('start: 1', 'start: 3'), 2, /pagination\.page\.end: expected end >= start/)));
test('unset ${VAR}', async () => void (await expectBadInput((r) => good(r).replace('records: results', 'records: results, headers: { Authorization: "Bearer ${PF_UNSET_TOKEN}" }'), 2, /PF_UNSET_TOKEN is not set/)));
test('executor index outside 0..N-1', async () => void (await expectBadInput(good, 2, /--executor-index: expected an index in 0\.\.1, got 2/, ['--executors', '2', '--executor-index', '2', '--run-id', 'x'])));
test('index from the env outside 0..N-1', async () => void (await expectBadInput(good, 2, /expected an index in 0\.\.2/, ['--run-id', 'x'], { PAGEFLEET_EXECUTORS: '3', PAGEFLEET_EXECUTOR_INDEX: '7' })));
test('unknown flag', async () => void (await expectBadInput(good, 2, /unknown option '--nope'/, ['--nope'])));
test('record path not found', async () => {
  const { requests } = await expectBadInput((r) => good(r).replace('records: results', 'records: data.items'), 2, /source\.records: expected a list of records at path "data\.items"/);
  assert.equal(requests, 1, 'only the discovery request');
});
test('non-JSON body', async () => void (await expectBadInput((r) => good(r, `${api.url}/_health`).replace('/_health', '/_health'), 2, /source\.records/)));
test('not JSON at all (HTML)', async () => {
  const html = await startMockApi(['--html-rate', '1']);
  try {
    await expectBadInput((r) => good(r, `${html.url}/3/movie/popular`) + 'limits: { retries: 1 }\n', 2, /source\.url: expected a JSON response/);
  } finally {
    await html.stop();
  }
});
test('unreachable URL', async () => void (await expectBadInput((r) => good(r, 'http://127.0.0.1:9/3/movie/popular') + 'limits: { retries: 0, connect_timeout: 2s }\n', 3, /source\.url: the API cannot be used/)));
test('404 on the first page', async () => void (await expectBadInput((r) => good(r, `${api.url}/no/such/route`) + 'limits: { retries: 0 }\n', 3, /404/)));
test('unwritable landing zone', async () => {
  const dir = await tempDir();
  const job = await writeJob(dir, good('/proc/pagefleet-landing'));
  const before = (await api.stats()).requests;
  const r = await run(['ingest', job]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /output\.root: landing zone \/proc\/pagefleet-landing is not writable/);
  assert.equal((await api.stats()).requests, before, 'zero API requests');
});
test('missing spec file', async () => {
  const r = await run(['ingest', '/nonexistent/job.yaml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /JOB: cannot read spec file \/nonexistent\/job\.yaml \(ENOENT\)/);
});
test('status of an unknown run', async () => {
  const dir = await tempDir();
  const root = join(dir, 'landing');
  const job = await writeJob(dir, good(root));
  const r = await run(['status', job, '--run-id', 'nope']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--run-id: no run nope of dataset movies/);
  assert.deepEqual(await readdir(dir), ['job.yaml']);
});
test('a schema.json that is not a Spark schema: one line naming it, before any request or write', async () => {
  const dir = await tempDir();
  const root = join(dir, 'landing');
  const schema = join(root, '_pagefleet/movies/schema.json');
  await mkdir(join(root, '_pagefleet/movies'), { recursive: true });
  await writeFile(schema, '{"type":"struct","fields":[');
  const job = await writeJob(dir, good(root));
  const before = (await api.stats()).requests;
  const r = await run(['ingest', job, '--run-id', 'r1']);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^pagefleet: \S+\/_pagefleet\/movies\/schema\.json: expected a Spark schema \(StructType JSON\) \(.*\); repair or delete the file\n$/);
  assert.equal((await api.stats()).requests, before, 'zero API requests');
  assert.deepEqual(await readdir(join(root, '_pagefleet/movies')), ['schema.json'], 'no run was planned');
  assert.equal(await readFile(schema, 'utf8'), '{"type":"struct","fields":[', 'schema.json is left as it was');
});
