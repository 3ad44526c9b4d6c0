import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatS3Location, parseS3Location } from './s3-location.js';

test('parses bucket and prefix, normalising slashes', () => {
  assert.deepEqual(parseS3Location('s3://lake/raw/tmdb'), { bucket: 'lake', prefix: 'raw/tmdb/' });
  assert.deepEqual(parseS3Location('s3://lake/raw//tmdb/'), { bucket: 'lake', prefix: 'raw/tmdb/' });
  assert.deepEqual(parseS3Location('s3a://lake'), { bucket: 'lake', prefix: '' });
  assert.deepEqual(parseS3Location('s3://lake/'), { bucket: 'lake', prefix: '' });
});

test('rejects bad bucket names and dot segments, naming output.root', () => {
  for (const bad of ['s3://', 's3://ab/x', 's3://Upper/x', 's3://under_score', 's3://lake/../x']) {
    assert.throws(() => parseS3Location(bad), (e: Error & { field?: string }) => e.message.startsWith('output.root:'), bad);
  }
});

test('formats back to s3://bucket/prefix', () => {
  assert.equal(formatS3Location({ bucket: 'lake', prefix: 'raw/tmdb/' }), 's3://lake/raw/tmdb');
  assert.equal(formatS3Location({ bucket: 'lake', prefix: '' }), 's3://lake');
});
