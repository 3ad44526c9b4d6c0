import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactStrings } from './redact-strings.js';

const upper = (s: string) => s.toUpperCase();

test('redactStrings maps every string value at any depth and keeps keys and other values', () => {
  const input = { page: 3, ok: true, none: null, error: 'boom', files: ['a.parquet', 'b'], nested: { cursor: 'xyz', n: [1, { s: 'deep' }] } };
  assert.deepEqual(redactStrings(input, upper), {
    page: 3,
    ok: true,
    none: null,
    error: 'BOOM',
    files: ['A.PARQUET', 'B'],
    nested: { cursor: 'XYZ', n: [1, { s: 'DEEP' }] },
  });
});

test('redactStrings returns a copy and leaves its input alone', () => {
  const input = { error: 'boom', files: ['a'] };
  const out = redactStrings(input, upper);
  assert.notEqual(out, input);
  assert.notEqual(out.files, input.files);
  assert.deepEqual(input, { error: 'boom', files: ['a'] });
});

test('redactStrings leaves keys untouched even when they contain the secret', () => {
  const out = redactStrings({ status: 'a' }, (s) => s.split('a').join('***').split('s').join('***'));
  assert.deepEqual(Object.keys(out), ['status']);
  assert.equal(out.status, '***');
});
