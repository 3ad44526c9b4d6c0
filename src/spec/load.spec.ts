import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../errors.js';
import { specFromObject } from './load.js';

const base = () => ({
  dataset: 'tmdb_popular',
  source: { url: 'https://api.example.com/3/movie/popular', headers: { Authorization: 'Bearer ${TOKEN}' }, records: 'results' },
  pagination: { page: { param: 'page', start: 1, total_pages: 'total_pages' } },
});
const env = { TOKEN: 's3cr3t-token-value' };

function fails(mutate: (s: any) => void, field: string, pattern: RegExp, e: NodeJS.ProcessEnv = env) {
  const s = base();
  mutate(s);
  assert.throws(
    () => specFromObject(s, {}, e),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError, String(err));
      assert.equal(err.field, field);
      assert.match(err.message, pattern);
      assert.ok(!err.message.includes('\n'), 'one line');
      assert.ok(!err.message.includes(env.TOKEN), 'no secret in the message');
      return true;
    },
  );
}

test('a valid spec normalizes with defaults, secrets and credential headers', () => {
  const spec = specFromObject(base(), {}, env);
  assert.equal(spec.source.headers.Authorization, `Bearer ${env.TOKEN}`);
  assert.deepEqual(spec.secrets, [env.TOKEN]);
  assert.deepEqual(spec.credentialHeaders, ['Authorization']);
  assert.deepEqual(spec.output.formats, ['parquet', 'ndjson']);
  assert.equal(spec.output.fileTargetBytes, 64 * 1024 * 1024);
  assert.equal(spec.limits.headersTimeoutMs, 30_000);
  assert.equal(spec.pagination.style, 'page');
});

test('flags override the spec', () => {
  const spec = specFromObject(base(), { rate: '7', root: '/tmp/x', formats: 'ndjson', fileTarget: '1MiB', end: '9' }, env);
  assert.equal(spec.limits.rate, 7);
  assert.equal(spec.output.root, '/tmp/x');
  assert.deepEqual(spec.output.formats, ['ndjson']);
  assert.equal(spec.output.fileTargetBytes, 1024 * 1024);
  assert.equal(spec.pagination.style === 'page' && spec.pagination.end, 9);
});

test('unknown field', () => fails((s) => (s.source.recrods = 'x'), 'source.recrods', /unknown field/));
test('unknown top-level field', () => fails((s) => (s.extra = 1), 'extra', /unknown field/));
test('missing field', () => fails((s) => delete s.source.records, 'source.records', /required/));
test('missing dataset', () => fails((s) => delete s.dataset, 'dataset', /required/));
test('wrong type', () => fails((s) => (s.limits = { rate: 'fast' }), 'limits.rate', /expected number/));
test('bad dataset name', () => fails((s) => (s.dataset = 'Bad-Name'), 'dataset', /lower-case/));
test('unknown pagination style', () => fails((s) => (s.pagination = { scroll: {} }), 'pagination', /exactly one style/));
test('two pagination styles', () => fails((s) => (s.pagination.cursor = { param: 'c', next: 'n' }), 'pagination', /exactly one style/));
test('end < start', () => fails((s) => (s.pagination.page = { start: 5, end: 2 }), 'pagination.page.end', /end >= start/));
test('no way to end', () => fails((s) => (s.pagination.page = { start: 1 }), 'pagination.page', /way to end/));
test('unset ${VAR}', () => fails(() => {}, 'source.headers.Authorization', /TOKEN is not set/, {}));
test('not a URL', () => fails((s) => (s.source.url = 'ftp://x'), 'source.url', /http/));
test('bad duration', () => fails((s) => (s.limits = { timeout: 'soon' }), 'limits.timeout', /duration/));
test('bad format', () => fails((s) => (s.output = { formats: ['csv'] }), 'output.formats.0', /parquet/));
test('a secret in a wrong-typed field is not echoed', () => fails((s) => (s.limits = { rate: '${TOKEN}' }), 'limits.rate', /got a string/));
test('bad flag value', () => {
  assert.throws(() => specFromObject(base(), { rate: 'lots' }, env), /--rate: expected a number/);
});
test('date slices expand', () => {
  const s: any = base();
  s.pagination = { cursor: { param: 'cursor', next: 'meta.next_cursor' } };
  s.slices = { param: 'since', from: '2024-01-30', to: '2024-02-02', step: '1d' };
  const spec = specFromObject(s, {}, env);
  assert.deepEqual(spec.slices?.kind === 'values' && spec.slices.values, ['2024-01-30', '2024-01-31', '2024-02-01', '2024-02-02']);
});

test('output.s3: defaults, and the AWS environment fills what the spec leaves out', () => {
  const spec = specFromObject({ ...base(), output: { root: 's3://lake/raw', s3: { region: 'eu-west-1' } } }, {}, env);
  assert.deepEqual(spec.output.s3, { endpoint: undefined, region: 'eu-west-1', forcePathStyle: undefined, partSizeBytes: 16 * 1024 * 1024, maxAttempts: 5 });
  assert.equal(specFromObject({ ...base(), output: { root: 's3://lake/raw' } }, {}, env).output.s3.partSizeBytes, 16 * 1024 * 1024);
});

test('output.s3 errors name the field', () => {
  fails((s) => (s.output = { root: './landing', s3: { region: 'eu-west-1' } }), 'output.s3', /only applies to an s3:\/\/bucket\/prefix output\.root/);
  fails((s) => (s.output = { root: 's3://lake/x', s3: { part_size: '1MiB' } }), 'output.s3.part_size', /at least 5MiB/);
  fails((s) => (s.output = { root: 's3://lake/x', s3: { endpoint: 'localhost:9000' } }), 'output.s3.endpoint', /http\(s\) URL/);
  fails((s) => (s.output = { root: 's3://lake/x', s3: { secret_key: 'x' } }), 'output.s3.secret_key', /unknown field/);
});

test('a ${VAR} secret in slices is refused; ${env:VAR} is a plain value', () => {
  const s: any = base();
  s.pagination = { cursor: { param: 'cursor', next: 'meta.next_cursor' } };
  s.slices = { param: 'region', values: ['${TOKEN}'] };
  assert.throws(() => specFromObject(s, {}, { ...env, TOKEN: 'secret-1' }), /slices: a \$\{VAR\} is a secret/);
  s.slices = { param: 'region', values: ['${env:REGION}'] };
  const spec = specFromObject(s, {}, { ...env, REGION: 'eu' });
  assert.deepEqual(spec.slices?.kind === 'values' && spec.slices.values, ['eu']);
  assert.ok(!spec.secrets.includes('eu'), 'not a secret');
  assert.deepEqual((spec.fingerprint as Record<string, any>).slices.values, ['eu'], 'the fingerprint holds the plain value');
});
