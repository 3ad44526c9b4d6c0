import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketWidth, cumulativePerBucket, MAX_BUCKETS, ratePerBucket } from './buckets.js';

test('bucket width: round, and never more than MAX_BUCKETS buckets', () => {
  assert.equal(bucketWidth(10), 1);
  assert.equal(bucketWidth(MAX_BUCKETS), 1);
  assert.equal(bucketWidth(MAX_BUCKETS + 1), 2);
  assert.equal(bucketWidth(3600), 30);
  assert.ok(30 * 86400 / bucketWidth(30 * 86400) <= MAX_BUCKETS, 'a month-long run too');
});

test('rate per bucket is events per second at the bucket middle; cumulative sums to the total', () => {
  assert.deepEqual(ratePerBucket([0.1, 0.5, 2.5, 3.9], 2, 4), [[1, 1], [3, 1]]);
  assert.deepEqual(ratePerBucket([], 1, 1), [[0.5, 0]]);
  assert.deepEqual(cumulativePerBucket([0.5, 1.5, 1.6], [10, 20, 30], 1, 2), [[0, 0], [1, 10], [2, 60]]);
  assert.deepEqual(cumulativePerBucket([9], [1], 1, 2), [[0, 0], [1, 0], [2, 1]], 'a late event lands in the last bucket');
});
