import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StartGate } from './start-gate.js';

/** Lets pending promise callbacks run. */
const settle = () => new Promise((r) => setImmediate(r));

describe('StartGate', () => {
  it('lets `limit` in at once, and the others in arrival order as places are left', async () => {
    const gate = new StartGate(2);
    const entered: number[] = [];
    const all = [0, 1, 2, 3, 4].map((i) => gate.enter().then(() => entered.push(i)));
    await settle();
    assert.deepEqual(entered, [0, 1]);
    assert.equal(gate.pendingCount, 3);
    gate.leave();
    await settle();
    assert.deepEqual(entered, [0, 1, 2]);
    gate.leave();
    gate.leave();
    await settle();
    assert.deepEqual(entered, [0, 1, 2, 3, 4]);
    assert.equal(gate.activeCount, 2);
    await Promise.all(all);
  });

  it('an abort lets every waiter through (they start nothing), and later entries too', async () => {
    const gate = new StartGate(1);
    const abort = new AbortController();
    let through = 0;
    const all = [0, 1, 2].map(() => gate.enter(abort.signal).then(() => through++));
    await settle();
    assert.equal(through, 1);
    abort.abort();
    await Promise.all(all);
    assert.equal(through, 3);
    await gate.enter(abort.signal);
    assert.equal(gate.pendingCount, 0);
  });

  it('refuses a limit below 1', () => {
    assert.throws(() => new StartGate(0), /from 1 and up/);
  });
});
