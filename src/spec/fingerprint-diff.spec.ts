import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeChange, fingerprintChanges } from './fingerprint-diff.js';

const planned = {
  'source.url': 'https://api.example.com/movies',
  'source.params': { language: 'en', limit: '100' },
  pagination: { page: { param: 'page', start: 1, end: 60, link_last: false } },
  'output.formats': ['parquet'],
};

test('equal fingerprints have no changes, whatever the key order', () => {
  const reordered = {
    'output.formats': ['parquet'],
    pagination: { page: { link_last: false, end: 60, start: 1, param: 'page' } },
    'source.params': { limit: '100', language: 'en' },
    'source.url': 'https://api.example.com/movies',
  };
  assert.deepEqual(fingerprintChanges(planned, reordered), []);
});

test('each change is named down to its leaf, with (unset) for a field that is gone or new', () => {
  const now = {
    ...planned,
    'source.params': { language: 'en', limit: '50' },
    pagination: { page: { param: 'page', start: 1, link_last: false } },
    'output.formats': ['parquet', 'ndjson'],
    slices: { param: 'year', values: ['2024'] },
  };
  assert.deepEqual(fingerprintChanges(planned, now).map(describeChange), [
    'source.params.limit: "100" → "50"',
    'pagination.page.end: 60 → (unset)',
    'output.formats: ["parquet"] → ["parquet","ndjson"]',
    'slices: (unset) → {"param":"year","values":["2024"]}',
  ]);
});

test('a changed style names both styles; long values are cut', () => {
  const now = { ...planned, pagination: { offset: { param: 'offset', limit: 100 } } };
  assert.deepEqual(fingerprintChanges(planned, now).map(describeChange), [
    'pagination.offset: (unset) → {"param":"offset","limit":100}',
    'pagination.page: {"param":"page","start":1,"end":60,"link_last":false} → (unset)',
  ]);
  const long = describeChange({ field: 'source.url', planned: 'https://x/' + 'a'.repeat(200), now: 'https://y/' });
  assert.equal(long, `source.url: "https://x/${'a'.repeat(49)}… → "https://y/"`);
});
