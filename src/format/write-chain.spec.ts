import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WriteChain } from './write-chain.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('WriteChain', () => {
  it('runs steps one after another, in order', async () => {
    const chain = new WriteChain(2);
    const seen: string[] = [];
    const step = (name: string) => async () => {
      seen.push(`${name}+`);
      await tick();
      seen.push(`${name}-`);
    };
    await Promise.all([chain.push(step('a')), chain.push(step('b')), chain.push(step('c'))]);
    await chain.drain();
    assert.deepEqual(seen, ['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
  });

  it('lets a caller go on while few steps wait, and holds it once more than maxWaiting do', async () => {
    const chain = new WriteChain(2);
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    let third = false;
    await chain.push(() => blocked); // 1 queued: resolves at once
    await chain.push(async () => {}); // 2 queued: at once
    const held = chain.push(async () => {}).then(() => (third = true)); // 3 queued: waits for its step
    await tick();
    assert.equal(third, false, 'the third caller waits while the first write is stuck');
    release();
    await held;
    assert.equal(third, true);
  });

  it('a failed step fails every later push and drain, and the steps after it do not run', async () => {
    const chain = new WriteChain(2);
    let ranAfter = false;
    await chain.push(async () => {
      throw new Error('disk full');
    });
    const next = chain.push(async () => {
      ranAfter = true;
    });
    await assert.rejects(chain.drain(), /disk full/);
    await next.catch(() => {});
    assert.equal(ranAfter, false);
    await assert.rejects(chain.push(async () => {}), /disk full/);
  });
});
