import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveIdentity, safeRunId } from './identity.js';

test('flags win, then JOB_COMPLETION_INDEX, then AWS Batch', () => {
  assert.deepEqual(resolveIdentity({ executors: '3', executorIndex: '2' }, { JOB_COMPLETION_INDEX: '0' }), { index: 2, count: 3 });
  assert.deepEqual(resolveIdentity({ executors: '3' }, { JOB_COMPLETION_INDEX: '1' }), { index: 1, count: 3 });
  assert.deepEqual(resolveIdentity({}, { AWS_BATCH_JOB_ARRAY_INDEX: '4', AWS_BATCH_JOB_ARRAY_SIZE: '5' }), { index: 4, count: 5 });
  assert.deepEqual(resolveIdentity({ executors: '4' }, {}), { count: 4 });
});

test('an index outside 0..N-1 or without N is bad input', () => {
  assert.throws(() => resolveIdentity({ executors: '3', executorIndex: '3' }, {}), /--executor-index: expected an index in 0\.\.2, got 3/);
  assert.throws(() => resolveIdentity({ executors: '3', executorIndex: '-1' }, {}), /0\.\.2/);
  assert.throws(() => resolveIdentity({}, { JOB_COMPLETION_INDEX: '1' }), /--executors: expected the executor count/);
  assert.throws(() => resolveIdentity({ executors: 'x' }, {}), /--executors: expected an integer/);
});

test('run ids become safe path segments, deterministically', () => {
  assert.equal(safeRunId('manual__2026-01-01T00:00:00+00:00'), 'manual__2026-01-01T00-00-00-00-00');
  assert.throws(() => safeRunId('_x'), /--run-id/);
});
