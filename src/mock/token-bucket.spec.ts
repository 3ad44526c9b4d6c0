import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock.js';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('lets a burst through, then refills at the rate', async () => {
    const clock = new FakeClock(0);
    const b = new TokenBucket(10, 10, clock);
    const first = Array.from({ length: 12 }, () => b.take());
    assert.deepEqual(first.map((t) => t.ok), [...Array(10).fill(true), false, false]);
    assert.equal(first[9].remaining, 0);
    assert.equal(first[10].retryAfterSeconds, 1, 'Retry-After is at least 1 second');
    assert.equal(first[0].remaining, 9);
    await clock.advance(100);
    assert.equal(b.take().ok, true);
    assert.equal(b.take().ok, false);
    await clock.advance(5000);
    const t = b.take();
    assert.equal(t.ok, true);
    assert.equal(t.remaining, 9, 'never more than the burst');
  });

  it('reports whole seconds until one token (Retry-After) and until full (reset) at slow rates', () => {
    const clock = new FakeClock(0);
    const b = new TokenBucket(0.25, 1, clock);
    assert.equal(b.take().ok, true);
    const denied = b.take();
    assert.equal(denied.ok, false);
    assert.equal(denied.retryAfterSeconds, 4);
    assert.equal(denied.resetSeconds, 4);
  });
});
