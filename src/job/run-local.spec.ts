import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultProcesses, spreadExecutors } from './run-local.js';

test('spreadExecutors: round-robin over at most `processes` children, every executor once', () => {
  assert.deepEqual(spreadExecutors(6, 2), [[0, 2, 4], [1, 3, 5]]);
  assert.deepEqual(spreadExecutors(5, 2), [[0, 2, 4], [1, 3]]);
  assert.deepEqual(spreadExecutors(3, 8), [[0], [1], [2]]);
  assert.deepEqual(spreadExecutors(1, 1), [[0]]);
  const spread = spreadExecutors(64, 8);
  assert.equal(spread.length, 8);
  assert.deepEqual(spread.flat().sort((a, b) => a - b), Array.from({ length: 64 }, (_, i) => i));
});

test('defaultProcesses: one per CPU, never more than the executors', () => {
  assert.equal(defaultProcesses(64, 2), 2);
  assert.equal(defaultProcesses(4, 2), 2);
  assert.equal(defaultProcesses(4, 16), 4);
  assert.equal(defaultProcesses(1, 16), 1);
});
