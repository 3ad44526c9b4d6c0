import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_EXECUTOR_NODE_FLAGS, executorNodeFlags, heapGrowingPercent } from './heap.js';

test('heap growth is held tighter when Parquet row groups fill the old generation', () => {
  assert.equal(heapGrowingPercent(['parquet', 'ndjson']), 50);
  assert.equal(heapGrowingPercent(['parquet']), 50);
  assert.equal(heapGrowingPercent(['ndjson']), 100);
});

test('the young generation is bounded with Parquet, and left to Node for NDJSON alone', () => {
  assert.deepEqual(executorNodeFlags(['ndjson', 'parquet']), DEFAULT_EXECUTOR_NODE_FLAGS);
  assert.deepEqual(executorNodeFlags(['ndjson']), []);
});

test('the executor flags are ones NODE_OPTIONS accepts (a Lambda sets them there)', () => {
  for (const flag of DEFAULT_EXECUTOR_NODE_FLAGS) assert.ok(process.allowedNodeEnvironmentFlags.has(flag.split('=')[0]), flag);
});
