import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStore } from '../../test/memory-store.js';
import { FakeClock } from '../clock.js';
import { RateGovernor } from '../http/rate-governor.js';
import { Layout } from '../landing/layout.js';
import { slotCountFor } from '../ledger/rate-slots.js';
import { discoverInsideSlots } from './discovery-share.js';

const layout = new Layout('movies', 'r1', '');
const RATE = 200;

/** The last entry of every slot log in the store, by slot. */
function lastEntries(store: MemoryStore): Map<number, { kind: string; final?: boolean }> {
  const last = new Map<number, { version: number; entry: { kind: string; final?: boolean } }>();
  for (const [key, body] of store.objects) {
    const at = Layout.parseRateSlotEntry(key);
    if (!at) continue;
    const seen = last.get(at.slot);
    if (!seen || seen.version < at.version) last.set(at.slot, { version: at.version, entry: JSON.parse(body) });
  }
  return new Map([...last].map(([slot, { entry }]) => [slot, entry]));
}

/** Lets the store's promises run (no time passes on the fake clock). */
const settle = () => new Promise((r) => setTimeout(r, 5));

describe('discoverInsideSlots', () => {
  it('returns the discovery with the governor at 0 while its releases are still being written; `ended` resolves once they are', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const governor = new RateGovernor({ rate: RATE, clock });
    // releases wait until the test lets them through
    let letGo!: () => void;
    const gate = new Promise<void>((r) => (letGo = r));
    const put = store.put.bind(store);
    store.put = async (key, body, opts) => {
      if (Layout.parseRateSlotEntry(key) && JSON.parse(String(body)).kind === 'release') await gate;
      return put(key, body, opts);
    };
    const call = discoverInsideSlots(
      { store, dataset: 'movies', runId: 'r1', executors: 4, executor: 0, jobRate: RATE, governor, clock },
      async () => {
        await governor.acquire();
        return 'the plan';
      },
    );
    let returned = false;
    void call.then(() => (returned = true));
    await settle();
    await clock.advance(10); // the discovery's request waits for its first token (5 ms at 200 requests/s)
    await settle();
    assert.ok(returned, 'the caller gets the discovery before the releases are written');
    const { found, ended } = await call;
    assert.equal(found, 'the plan');
    assert.equal(governor.share, 0, 'lowered before it returned');
    assert.ok([...lastEntries(store).values()].every((e) => e.kind === 'claim'), 'no release written yet');
    letGo();
    await ended;
    const entries = [...lastEntries(store).values()];
    assert.equal(entries.length, slotCountFor(4));
    assert.ok(entries.every((e) => e.kind === 'release' && e.final === true), 'every slot released for good');
    const sessionKey = [...store.objects.keys()].find((k) => k.startsWith(layout.sessionsDir));
    assert.ok(sessionKey && JSON.parse(store.objects.get(sessionKey)!).ended_at, 'its record says it ended');
  });

  it('a discovery that fails ends its session (lowered, released) before the error reaches the caller', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const governor = new RateGovernor({ rate: RATE, clock });
    const call = discoverInsideSlots({ store, dataset: 'movies', runId: 'r1', executors: 4, executor: 0, jobRate: RATE, governor, clock }, async () => {
      throw new Error('the API said no');
    });
    await assert.rejects(call, /the API said no/);
    assert.equal(governor.share, 0);
    assert.ok([...lastEntries(store).values()].every((e) => e.kind === 'release' && e.final === true));
  });
});
