import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeDelay } from './backoff.js';
import { mulberry32 as seeded } from '../../test/prng.js';


const opts = { minDelayMs: 250, maxDelayMs: 30_000 };

describe('computeDelay', () => {
  it('is random() * min(max, min * 2^attempt)', () => {
    assert.equal(computeDelay(0, opts, () => 0.5), 125);
    assert.equal(computeDelay(1, opts, () => 0.5), 250);
    assert.equal(computeDelay(3, opts, () => 0.5), 1000);
    assert.equal(computeDelay(20, opts, () => 0.5), 15_000); // capped at 30 s
    assert.equal(computeDelay(5000, opts, () => 0.999), 29_970); // 2^5000 does not overflow the cap
  });

  it('stays within [0, ceiling) for a seeded sequence and is reproducible', () => {
    const a = seeded(42);
    const b = seeded(42);
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(opts.maxDelayMs, opts.minDelayMs * 2 ** attempt);
      for (let i = 0; i < 50; i++) {
        const d = computeDelay(attempt, opts, a);
        assert.ok(d >= 0 && d < ceiling, `attempt ${attempt}: ${d} not in [0, ${ceiling})`);
        assert.equal(computeDelay(attempt, opts, b), d);
      }
    }
  });

  it('jitters: a seeded run spreads over the range', () => {
    const r = seeded(7);
    const ds = Array.from({ length: 200 }, () => computeDelay(4, opts, r));
    assert.ok(Math.min(...ds) < 1000 && Math.max(...ds) > 3000);
  });

  it('clamps bad random values and negative attempts', () => {
    assert.equal(computeDelay(-3, opts, () => 0.5), 125);
    assert.equal(computeDelay(0, opts, () => 2), 250);
    assert.equal(computeDelay(0, opts, () => -1), 0);
    assert.equal(computeDelay(3, { minDelayMs: 0, maxDelayMs: 0 }, () => 0.9), 0);
  });
});
