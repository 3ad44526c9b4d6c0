import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultPlanner, type FaultRates } from './faults.js';

const NONE: FaultRates = {
  seed: 1, errorRate: 0, resetRate: 0, truncateRate: 0, htmlRate: 0, latencyMs: 0, latencyJitterMs: 0,
};

function kinds(p: FaultPlanner, keys: string[]): string[] {
  return keys.map((k) => {
    const f = p.decide(k).fault;
    return f.kind === 'error' ? String(f.status) : f.kind;
  });
}

const PAGES = Array.from({ length: 4000 }, (_, i) => `page|${i + 1}|100`);

describe('FaultPlanner', () => {
  it('no rates, no faults', () => {
    assert.deepEqual(new Set(kinds(new FaultPlanner(NONE), PAGES)), new Set(['none']));
  });

  it('each kind occurs at roughly its rate, at most one per request', () => {
    const p = new FaultPlanner({ ...NONE, errorRate: 0.1, resetRate: 0.05, truncateRate: 0.05, htmlRate: 0.2 });
    const ks = kinds(p, PAGES);
    const share = (pred: (k: string) => boolean) => ks.filter(pred).length / ks.length;
    const near = (v: number, want: number) => assert.ok(Math.abs(v - want) < want * 0.25, `${v} vs ${want}`);
    near(share((k) => /^50[023]$/.test(k)), 0.1);
    near(share((k) => k === 'reset'), 0.05);
    near(share((k) => k === 'truncate'), 0.05);
    near(share((k) => k === 'html'), 0.2);
    near(share((k) => k === 'none'), 0.6);
    for (const s of ['500', '502', '503']) assert.ok(ks.includes(s), `status ${s} drawn`);
  });

  it('a retry of the same page gets a fresh draw', () => {
    const p = new FaultPlanner({ ...NONE, errorRate: 0.5 });
    const attempts = kinds(p, Array(40).fill('page|7|100'));
    assert.ok(attempts.includes('none') && attempts.some((k) => k !== 'none'), attempts.join(','));
    assert.equal(p.decide('page|7|100').attempt, 41);
  });

  it('is reproducible regardless of how requests for different pages interleave', () => {
    const rates = { ...NONE, errorRate: 0.3, resetRate: 0.1 };
    const keys = PAGES.slice(0, 50).flatMap((k) => [k, k, k]); // three attempts of each page
    const inOrder = new FaultPlanner(rates);
    const byKey = new Map<string, string[]>();
    for (const k of keys) byKey.set(k, [...(byKey.get(k) ?? []), kinds(inOrder, [k])[0]]);
    const shuffled = new FaultPlanner(rates);
    const again = new Map<string, string[]>();
    for (const k of [...keys].reverse()) again.set(k, [...(again.get(k) ?? []), kinds(shuffled, [k])[0]]);
    assert.deepEqual(again, byKey);
  });

  it('depends on the seed', () => {
    const a = kinds(new FaultPlanner({ ...NONE, seed: 1, errorRate: 0.5 }), PAGES.slice(0, 200));
    const b = kinds(new FaultPlanner({ ...NONE, seed: 2, errorRate: 0.5 }), PAGES.slice(0, 200));
    assert.notDeepEqual(a, b);
  });

  it('latency is latencyMs plus a seeded jitter within bounds', () => {
    const p = new FaultPlanner({ ...NONE, latencyMs: 20, latencyJitterMs: 10 });
    const delays = PAGES.slice(0, 500).map((k) => p.decide(k).delayMs);
    assert.ok(delays.every((d) => d >= 20 && d <= 30 && Number.isInteger(d)));
    assert.ok(new Set(delays).size > 5, 'jitter varies');
    assert.equal(new FaultPlanner({ ...NONE, latencyMs: 20, latencyJitterMs: 10 }).decide(PAGES[0]).delayMs, delays[0]);
  });
});
