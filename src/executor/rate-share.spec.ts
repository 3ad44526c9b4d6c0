import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStore } from '../../test/memory-store.js';
import { FakeClock } from '../clock.js';
import { Layout } from '../landing/layout.js';
import { slotCountFor } from '../ledger/rate-slots.js';
import { Heartbeat, LivenessJudge } from '../ledger/sessions.js';
import { fairShare, HUNGRY_LOOK_MS, RateShare, rebalance, SHORT_LOOK_MS, tickPeriod, type RateShareOptions } from './rate-share.js';

const layout = new Layout('movies', 'r1', '2026-01-01');
const LEASE = 10_000;
const RATE = 160;
const K = 16;

describe('fairShare', () => {
  it('gives floor(K/L) each, one more to the first K mod L sessions in id order, and sums to K', () => {
    assert.deepEqual(['b', 'a', 'c'].map((me) => fairShare(16, ['c', 'a', 'b'], me)), [5, 6, 5]);
    for (let live = 1; live <= 40; live++) {
      const ids = Array.from({ length: live }, (_, i) => `e${String(i).padStart(3, '0')}`);
      const shares = ids.map((me) => fairShare(32, ids, me));
      assert.equal(shares.reduce((a, b) => a + b, 0), 32, `${live} sessions`);
      assert.ok(Math.max(...shares) - Math.min(...shares) <= 1);
    }
  });

  it('is 0 for a session that is not live', () => {
    assert.equal(fairShare(16, ['a', 'b'], 'z'), 0);
  });
});

describe('slotCountFor', () => {
  it('is 4 per executor, at least 16 and at most 1024', () => {
    assert.deepEqual([1, 4, 5, 64, 256, 1000].map(slotCountFor), [16, 16, 20, 256, 1024, 1024]);
  });
});

describe('tickPeriod', () => {
  it('is the period up to 16 sessions, then one period more for every 16', () => {
    assert.deepEqual([1, 16, 17, 32, 33, 64].map((n) => tickPeriod(1_000, n)), [1_000, 1_000, 2_000, 2_000, 3_000, 4_000]);
  });
});

describe('rebalance', () => {
  it('releases its highest slots above the fair share, and claims nothing then', () => {
    assert.deepEqual(rebalance([0, 1, 2, 3, 4], [9], 3), { claim: [], release: [4, 3] });
  });

  it('claims free slots up to the fair share, from `start` on, wrapping', () => {
    assert.deepEqual(rebalance([1], [2, 5, 7, 9], 3, 6), { claim: [7, 9], release: [] });
    assert.deepEqual(rebalance([], [2, 5, 7, 9], 3, 8), { claim: [9, 2, 5], release: [] });
    assert.deepEqual(rebalance([], [2], 3), { claim: [2], release: [] }, 'no more than are free');
    assert.deepEqual(rebalance([1, 2], [3], 2), { claim: [], release: [] });
  });
});

/**
 * A session with a heartbeat, a judge that sees no PIDs (another machine) and a governor stand-in;
 * `pendingCount`: callers waiting on that governor (the session would use more rate).
 */
async function session(
  store: MemoryStore,
  clock: FakeClock,
  id: string,
  events: string[],
  pendingCount = 0,
  run: Pick<RateShareOptions, 'executors' | 'index' | 'startedTogether'> = {},
) {
  const heartbeat = new Heartbeat(store, layout, clock, id, run.index ?? 0, LEASE);
  await heartbeat.start();
  const target = { share: 0, pendingCount, setShare: (r: number) => ((target.share = r), events.push(`${id} share ${r}`)) };
  const judge = new LivenessJudge(store, layout, clock, () => true);
  const share = new RateShare({
    store, layout, clock, judge, session: id, slots: K, jobRate: RATE, target, sessionsEveryMs: LEASE / 4,
    announceIdle: (idle) => heartbeat.setRateIdle(idle), ...run,
  });
  return { heartbeat, target, share };
}

/** Lets the store's promises and the sessions' ticks that follow them run (no time passes on the fake clock). */
const settle = () => new Promise((r) => setTimeout(r, 5));

/** Counts the listings of the slot logs from now on. */
function countListings(store: MemoryStore): { count: number } {
  const counter = { count: 0 };
  const list = store.list.bind(store);
  store.list = async (prefix) => {
    if (prefix === layout.rateDir) counter.count++;
    return list(prefix);
  };
  return counter;
}

/** Records every slot entry written, in order with the share changes. */
function recorded(store: MemoryStore, events: string[]): void {
  const put = store.put.bind(store);
  store.put = async (key, body, opts) => {
    const won = await put(key, body, opts);
    const at = Layout.parseRateSlotEntry(key);
    if (at && won) {
      const e = JSON.parse(String(body));
      events.push(`${e.session} ${e.kind} ${at.slot}`);
    }
    return won;
  };
}

/** Slot holders by the slot logs in the store: the sum of shares any reader would grant. */
function heldBy(store: MemoryStore): Map<string, number> {
  const last = new Map<number, { version: number; entry: { kind: string; session: string } }>();
  for (const [key, body] of store.objects) {
    const at = Layout.parseRateSlotEntry(key);
    if (!at) continue;
    const seen = last.get(at.slot);
    if (!seen || seen.version < at.version) last.set(at.slot, { version: at.version, entry: JSON.parse(body) });
  }
  const out = new Map<string, number>();
  for (const { entry } of last.values()) if (entry.kind === 'claim') out.set(entry.session, (out.get(entry.session) ?? 0) + 1);
  return out;
}

describe('RateShare', () => {
  it('a lone session takes every slot; a second one gets half after the first lowers and releases; the sum never passes the rate', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const events: string[] = [];
    recorded(store, events);
    const a = await session(store, clock, 'e000-aaaaaa', events);
    await a.share.tick();
    assert.equal(a.target.share, RATE);
    assert.equal(heldBy(store).get('e000-aaaaaa'), K);

    const b = await session(store, clock, 'e001-bbbbbb', events);
    await b.share.tick();
    assert.equal(b.target.share, 0, 'nothing is free yet: it waits');
    assert.ok(a.target.share + b.target.share <= RATE);
    events.length = 0;
    await a.share.tick();
    assert.equal(a.target.share, RATE / 2);
    assert.equal(events[0], `e000-aaaaaa share ${RATE / 2}`, 'the governor is lowered before any release is written');
    assert.equal(events.filter((e) => e.includes(' release ')).length, K / 2);
    assert.ok(a.target.share + b.target.share <= RATE);
    await b.share.tick();
    assert.equal(b.target.share, RATE / 2);
    assert.deepEqual([...heldBy(store).values()], [K / 2, K / 2]);
    assert.ok(a.target.share + b.target.share <= RATE + 1e-9);
  });

  it('a session that ends lowers to 0, then releases for good; the other takes the whole rate at its next tick', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const events: string[] = [];
    recorded(store, events);
    const a = await session(store, clock, 'e000-aaaaaa', events);
    const b = await session(store, clock, 'e001-bbbbbb', events);
    for (const s of [a, b, a, b]) await s.share.tick();
    assert.equal(a.target.share + b.target.share, RATE);
    events.length = 0;
    await a.share.end();
    assert.equal(a.target.share, 0);
    assert.equal(events[0], 'e000-aaaaaa share 0', 'lowered before the releases');
    assert.equal(a.share.stats.rateSlotsMax, K / 2);
    // its heartbeat still runs (the executor ends it after the share): the final release is what counts
    await b.share.tick();
    assert.equal(b.target.share, RATE);
    assert.equal(heldBy(store).get('e001-bbbbbb'), K);
  });

  it("a killed session's slots are free once its lease lapses, not before", async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const events: string[] = [];
    const a = await session(store, clock, 'e000-aaaaaa', events);
    await a.share.tick();
    await a.heartbeat.end();
    const rec = JSON.parse(store.objects.get(layout.session('e000-aaaaaa'))!);
    delete rec.ended_at; // killed: no end record, no more beats
    store.objects.set(layout.session('e000-aaaaaa'), JSON.stringify(rec));
    const b = await session(store, clock, 'e001-bbbbbb', events);
    await b.share.tick();
    assert.equal(b.target.share, 0);
    await clock.advance(LEASE / 2);
    await b.share.tick();
    assert.equal(b.target.share, 0, 'half a lease: still its slots');
    await clock.advance(LEASE / 2);
    await b.share.tick();
    assert.equal(b.target.share, RATE);
    await b.heartbeat.end();
  });

  it('a session that lost slots to a takeover (it was judged gone) lowers its share at its next tick', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const events: string[] = [];
    const a = await session(store, clock, 'e000-aaaaaa', events);
    await a.share.tick();
    const taker = await session(store, clock, 'e009-zzzzzz', events);
    for (let s = 0; s < K; s++) {
      const v = 2;
      await store.put(layout.rateSlotEntry(s, v), JSON.stringify({ kind: 'claim', session: 'e009-zzzzzz', at: '' }), { ifAbsent: true });
    }
    await a.share.tick();
    assert.equal(a.target.share, 0, 'it holds nothing now, and nothing is free');
    await a.heartbeat.end();
    await taker.heartbeat.end();
  });

  it('an idle session (waiting for others) gives its slots up and is not counted; busy again, it gets its share back', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const events: string[] = [];
    const a = await session(store, clock, 'e000-aaaaaa', events);
    const b = await session(store, clock, 'e001-bbbbbb', events);
    for (const s of [a, b, a, b]) await s.share.tick();
    assert.deepEqual([a.target.share, b.target.share], [RATE / 2, RATE / 2]);
    await a.share.setIdle(true);
    assert.equal(a.target.share, 0);
    await b.share.tick();
    assert.equal(b.target.share, RATE, 'the busy one takes the whole rate');
    await a.share.setIdle(false);
    assert.equal(a.target.share, 0, 'nothing is free yet');
    await b.share.tick();
    assert.equal(b.target.share, RATE, 'nothing moved in the slots: the records are re-read every quarter lease');
    await clock.advance(LEASE / 4);
    await b.share.tick();
    await a.share.tick();
    assert.deepEqual([a.target.share, b.target.share], [RATE / 2, RATE / 2]);
    await a.heartbeat.end();
    await b.heartbeat.end();
  });

  it('an idle session holding no slot does not read the slot logs at its ticks; busy again, it reads and claims at once', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const events: string[] = [];
    const a = await session(store, clock, 'e000-aaaaaa', events);
    await a.share.start();
    assert.equal(a.target.share, RATE);
    await a.share.setIdle(true);
    assert.equal(a.target.share, 0);
    assert.equal(heldBy(store).get('e000-aaaaaa'), undefined, 'every slot released');
    let listings = 0;
    const list = store.list.bind(store);
    store.list = async (prefix) => {
      if (prefix === layout.rateDir) listings++;
      return list(prefix);
    };
    for (let t = 0; t < 5; t++) await clock.advance(1_000);
    assert.equal(listings, 0, 'five periods idle: no listing');
    await a.share.setIdle(false);
    assert.equal(listings, 1);
    assert.equal(a.target.share, RATE, 'its share back at once: every slot was free');
    await clock.advance(1_000);
    assert.equal(listings, 2, 'busy: it ticks again');
    await a.share.end();
    await a.heartbeat.end();
  });

  it('with 20 live sessions a session looks at the slot logs every 2 periods, not every period', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const events: string[] = [];
    for (let i = 1; i < 20; i++) await new Heartbeat(store, layout, clock, `e${String(i).padStart(3, '0')}-xxxxxx`, i, LEASE).start();
    const a = await session(store, clock, 'e000-aaaaaa', events);
    await a.share.start();
    let listings = 0;
    const list = store.list.bind(store);
    store.list = async (prefix) => {
      if (prefix === layout.rateDir) listings++;
      return list(prefix);
    };
    await clock.advance(1_000);
    assert.equal(listings, 0, 'one period: not yet');
    await clock.advance(1_000);
    assert.equal(listings, 1, 'two periods: one look');
    await a.share.end();
    await a.heartbeat.end();
  });

  it('alone in the first 10 s of a run planned for more executors, a session looks four times a period; later, once a period', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const heartbeat = new Heartbeat(store, layout, clock, 'e000-aaaaaa', 0, LEASE);
    await heartbeat.start();
    const target = { share: 0, setShare: (r: number) => (target.share = r) };
    const share = new RateShare({
      store, layout, clock, judge: new LivenessJudge(store, layout, clock, () => true), session: 'e000-aaaaaa', slots: K, jobRate: RATE,
      executors: 2, target, sessionsEveryMs: LEASE / 4, announceIdle: (idle) => heartbeat.setRateIdle(idle),
    });
    await share.start();
    assert.equal(target.share, RATE, 'alone, it takes the whole rate');
    let listings = 0;
    const list = store.list.bind(store);
    store.list = async (prefix) => {
      if (prefix === layout.rateDir) listings++;
      return list(prefix);
    };
    for (let t = 0; t < 4; t++) await clock.advance(250);
    assert.equal(listings, 4, 'expecting the other executor: a look every 250 ms');
    await clock.advance(10_000);
    listings = 0;
    for (let t = 0; t < 4; t++) await clock.advance(250);
    assert.equal(listings, 1, 'after 10 s: once a period');
    await share.end();
    await heartbeat.end();
  });

  it('of 4 executors started together (a local run), each sends from its first tick: the first claims only its share of the 4', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const ids = ['e000-aaaaaa', 'e001-bbbbbb', 'e002-cccccc', 'e003-dddddd'];
    const sessions = [];
    for (const [i, id] of ids.entries()) sessions.push(await session(store, clock, id, [], 0, { executors: 4, index: i, startedTogether: true }));
    // all at once, as the executors of one process do: none has seen another's claims when it claims
    await Promise.all(sessions.map((s) => s.share.start()));
    assert.deepEqual(sessions.map((s) => s.target.share), [RATE / 4, RATE / 4, RATE / 4, RATE / 4], 'nobody waits for a release, and no claim lost a race');
    assert.deepEqual([...heldBy(store).values()], [K / 4, K / 4, K / 4, K / 4]);
    await sessions[3].share.end();
    await clock.advance(1_000);
    await settle();
    const sum = sessions.slice(0, 3).reduce((n, s) => n + s.target.share, 0);
    assert.ok(sum > (3 * RATE) / 4 && sum <= RATE + 1e-9, `one ended: the other three grow into its share (${sum})`);
    for (const s of sessions.slice(0, 3)) await s.share.end();
    for (const s of sessions) await s.heartbeat.end();
  });

  it('started together with a sibling that never comes, a session holds its planned share for a quarter period, then all', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const { heartbeat, target, share } = await session(store, clock, 'e001-bbbbbb', [], 0, { executors: 2, index: 1, startedTogether: true });
    await share.start();
    assert.equal(target.share, RATE / 2);
    assert.deepEqual([...heldBy(store).keys()], ['e001-bbbbbb']);
    await clock.advance(250);
    await settle();
    assert.equal(target.share, RATE, 'a quarter period later, still alone: the whole rate');
    await share.end();
    await heartbeat.end();
  });

  it('a session whose heartbeat started rate-idle (it prepares) leaves the others their share until its rate share starts, then gets it at their next tick', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const events: string[] = [];
    const a = await session(store, clock, 'e000-aaaaaa', events);
    await a.share.tick();
    assert.equal(a.target.share, RATE);
    const heartbeat = new Heartbeat(store, layout, clock, 'e001-bbbbbb', 1, LEASE);
    await heartbeat.start({ rateIdle: true });
    await a.share.tick();
    assert.equal(a.target.share, RATE, 'the preparing session is not counted');
    const target = { share: 0, setShare: (r: number) => (target.share = r) };
    const b = new RateShare({
      store, layout, clock, judge: new LivenessJudge(store, layout, clock, () => true), session: 'e001-bbbbbb', slots: K, jobRate: RATE,
      target, sessionsEveryMs: LEASE / 4, announceIdle: (idle) => heartbeat.setRateIdle(idle),
    });
    await b.start();
    assert.equal(JSON.parse(store.objects.get(layout.session('e001-bbbbbb'))!).rate_idle, false, 'it says it wants slots');
    await a.share.tick(); // no quarter lease later: the records of idle sessions are read at every tick
    assert.equal(a.target.share, RATE / 2, 'at its next tick the holder makes room');
    await b.tick();
    assert.equal(target.share, RATE / 2);
    await b.end();
    await a.share.end();
    await heartbeat.end();
    await a.heartbeat.end();
  });
  it('a session whose callers wait takes the share another releases (idle) within HUNGRY_LOOK_MS, not at its next tick', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const events: string[] = [];
    const a = await session(store, clock, 'e000-aaaaaa', events, 3);
    const b = await session(store, clock, 'e001-bbbbbb', events);
    for (const s of [a, b, a, b]) await s.share.tick();
    assert.deepEqual([a.target.share, b.target.share], [RATE / 2, RATE / 2]);
    await a.share.start();
    await b.share.setIdle(true);
    assert.equal(b.target.share, 0);
    await clock.advance(HUNGRY_LOOK_MS);
    await settle();
    assert.equal(a.target.share, RATE, 'a period (1 s) before its next tick, it saw the release and claimed');
    assert.ok(a.target.share + b.target.share <= RATE);
    await a.share.end();
    await b.share.end();
  });

  it('a session whose callers do not wait lists the slot logs only at its ticks, once a period', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const a = await session(store, clock, 'e000-aaaaaa', []);
    await a.share.start();
    const listings = countListings(store);
    for (let t = 0; t < 10; t++) await clock.advance(HUNGRY_LOOK_MS);
    assert.equal(listings.count, 1);
    a.target.pendingCount = 2;
    for (let t = 0; t < 10; t++) await clock.advance(HUNGRY_LOOK_MS);
    assert.equal(listings.count, 11, 'callers waiting: a look every HUNGRY_LOOK_MS (the tick is one of them)');
    await a.share.end();
  });

  it('with more than 8 sessions wanting slots, a session whose callers wait still looks only at its ticks', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const others = [];
    for (let i = 1; i < 10; i++) others.push(await session(store, clock, `e00${i}-xxxxxx`, []));
    const a = await session(store, clock, 'e000-aaaaaa', [], 5);
    await a.share.start();
    const listings = countListings(store);
    for (let t = 0; t < 10; t++) await clock.advance(HUNGRY_LOOK_MS);
    assert.equal(listings.count, 1, 'one tick in a period');
    await a.share.end();
  });

  it('a newcomer short of its fair share claims what the holder released for it within SHORT_LOOK_MS', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const events: string[] = [];
    const a = await session(store, clock, 'e000-aaaaaa', events);
    await a.share.start();
    assert.equal(a.target.share, RATE);
    await clock.advance(130); // the newcomer's quarter-period ticks (250 ms) fall 130 ms after the holder's
    const b = await session(store, clock, 'e001-bbbbbb', events);
    await b.share.start();
    assert.equal(b.target.share, 0, 'every slot is held: it waits');
    await clock.advance(870); // the holder's tick: it sees the newcomer, lowers and releases
    await settle();
    assert.equal(a.target.share, RATE / 2);
    await clock.advance(SHORT_LOOK_MS);
    await settle();
    assert.equal(b.target.share, RATE / 2, `claimed within ${SHORT_LOOK_MS} ms of the release, not at its next tick`);
    assert.ok(a.target.share + b.target.share <= RATE + 1e-9);
    await a.share.end();
    await b.share.end();
  });
  it('with 20 live sessions, 4 of them wanting slots, a session whose callers wait looks every 2 × HUNGRY_LOOK_MS', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    for (let i = 1; i < 20; i++) {
      await new Heartbeat(store, layout, clock, `e${String(i).padStart(3, '0')}-xxxxxx`, i, LEASE).start({ rateIdle: i > 3 });
    }
    const a = await session(store, clock, 'e000-aaaaaa', [], 5);
    await a.share.start();
    const listings = countListings(store);
    for (let t = 0; t < 10; t++) await clock.advance(HUNGRY_LOOK_MS);
    assert.equal(listings.count, 5, 'a look every 200 ms: the slot logs grow with the live sessions');
    await a.share.end();
  });

  it('with 40 live sessions, 4 of them wanting slots, a session ticks every period: the tick is stretched by those wanting', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    for (let i = 1; i < 40; i++) {
      await new Heartbeat(store, layout, clock, `e${String(i).padStart(3, '0')}-xxxxxx`, i, LEASE).start({ rateIdle: i > 3 });
    }
    const a = await session(store, clock, 'e000-aaaaaa', []);
    await a.share.start();
    const ticks = { count: 0 };
    const list = store.list.bind(store);
    store.list = async (prefix) => {
      if (prefix === layout.sessionsDir) ticks.count++; // a tick lists the sessions, a look does not
      return list(prefix);
    };
    for (let t = 0; t < 30; t++) await clock.advance(100);
    assert.equal(ticks.count, 3, 'a tick a second over 3 s (stretched by the 40 live sessions it would be one)');
    await a.share.end();
  });
});
