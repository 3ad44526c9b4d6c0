import assert from 'node:assert/strict';
import { test } from 'node:test';
import { specFromObject, type SpecOverrides } from './load.js';

const base = () => ({
  dataset: 'movies',
  source: {
    url: 'https://api.example.com/3/movie/popular?api_key=${KEY}',
    headers: { Authorization: 'Bearer ${TOKEN}' },
    params: { language: 'en', region: '${REGION}' },
    records: 'results',
  },
  pagination: { page: { total_pages: 'total_pages' } },
});
const env = { TOKEN: 'tok-111111', KEY: 'key-222222', REGION: 'reg-333333' };
const fingerprint = (spec: object, overrides: SpecOverrides = {}, e: NodeJS.ProcessEnv = env) => specFromObject(spec, overrides, e).fingerprint;

test('the fingerprint holds the fields that decide the page space and the records, defaults applied', () => {
  assert.deepEqual(fingerprint(base()), {
    'source.url': 'https://api.example.com/3/movie/popular?api_key=${KEY}',
    'source.params': { language: 'en', region: '${REGION}' },
    'source.records': 'results',
    pagination: { page: { param: 'page', start: 1, total_pages: 'total_pages', link_last: false } },
    'output.formats': ['parquet', 'ndjson'],
  });
});

test('secrets never enter it, and a rotated secret is no change', () => {
  const text = JSON.stringify(fingerprint(base()));
  for (const secret of Object.values(env)) assert.ok(!text.includes(secret), `${secret} is not in ${text}`);
  const rotated = { TOKEN: 'tok-999999', KEY: 'key-888888', REGION: 'reg-777777' };
  assert.deepEqual(fingerprint(base(), {}, rotated), fingerprint(base()));
});

test('writing a default out, reordering formats or quoting a number is no change', () => {
  const explicit: any = base();
  explicit.pagination = { page: { param: 'page', start: 1, total_pages: 'total_pages', link_last: false } };
  explicit.output = { formats: ['ndjson', 'parquet', 'ndjson'] };
  assert.deepEqual(fingerprint(explicit), fingerprint(base()));
  const numbers: any = base();
  numbers.source.params = { ...numbers.source.params, per_page: 50 };
  const strings: any = base();
  strings.source.params = { region: '${REGION}', per_page: '50', language: 'en' };
  assert.deepEqual(fingerprint(numbers), fingerprint(strings));
});

test('flags count: --end and --formats change it, limits and headers do not', () => {
  const planned = fingerprint(base(), { end: '60' });
  assert.deepEqual(planned.pagination, { page: { param: 'page', start: 1, end: 60, total_pages: 'total_pages', link_last: false } });
  assert.deepEqual(fingerprint(base(), { formats: 'ndjson' })['output.formats'], ['ndjson']);
  const other: any = base();
  other.limits = { rate: 3, concurrency: 2, timeout: '5s', max_body: '1KiB' };
  other.source.headers = { Authorization: 'Bearer ${TOKEN}', 'Accept-Language': 'de' };
  assert.deepEqual(fingerprint(other, { rate: '9' }), fingerprint(base()));
});

test('slices: listed values as strings, a date window as written; a link header name in lower case', () => {
  const chain = (extra: object) => ({ ...base(), pagination: { cursor: { param: 'cursor', next: 'next' } }, ...extra });
  assert.deepEqual(fingerprint(chain({ slices: { param: 'year', values: [2023, '2024'] } })).slices, { param: 'year', values: ['2023', '2024'] });
  assert.deepEqual(fingerprint(chain({ slices: { param: 'since', from: '2024-01-01', to: '2024-01-31' } })).slices, {
    param: 'since',
    from: '2024-01-01',
    to: '2024-01-31',
    step: '1d',
  });
  const link = (header: string) => fingerprint({ ...base(), pagination: { link: { header } } }).pagination;
  assert.deepEqual(link('Link'), link('link'));
});
