import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXECUTOR_NODE_FLAGS, heapGrowingPercent } from './heap.js';

test('heap growth is held tighter when Parquet row groups fill the old generation', () => {
  assert.equal(heapGrowingPercent(['parquet', 'ndjson']), 50);
  assert.equal(heapGrowingPercent(['parquet']), 50);
  assert.equal(heapGrowingPercent(['ndjson']), 100);
});

test('the executor flags are ones NODE_OPTIONS accepts (a Lambda sets them there)', () => {
  for (const flag of EXECUTOR_NODE_FLAGS) assert.ok(process.allowedNodeEnvironmentFlags.has(flag.split('=')[0]), flag);
});
