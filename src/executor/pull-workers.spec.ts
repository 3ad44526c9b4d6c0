import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pullWorkers } from './pull-workers.js';

test('pullWorkers: every item once, at most `workers` at a time, and an item is pulled only when a worker is free', async () => {
  let pulled = 0;
  let running = 0;
  let most = 0;
  const pulledWhileBusy: number[] = [];
  async function* source() {
    for (let i = 0; i < 10; i++) {
      pulled++;
      pulledWhileBusy.push(running);
      yield i;
    }
  }
  const seen: number[] = [];
  await pullWorkers(source(), 3, async (i) => {
    running++;
    most = Math.max(most, running);
    await new Promise((r) => setTimeout(r, 1 + (i % 3)));
    seen.push(i);
    running--;
  });
  assert.deepEqual([...seen].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(most, 3);
  assert.equal(pulled, 10);
  assert.ok(pulledWhileBusy.every((n) => n < 3), `an item was pulled while all workers were busy: ${pulledWhileBusy}`);
});

test('pullWorkers: a failing handler rejects the whole run', async () => {
  async function* source() {
    yield 1;
    yield 2;
  }
  await assert.rejects(pullWorkers(source(), 2, async (i) => { if (i === 2) throw new Error('boom'); }), /boom/);
});
