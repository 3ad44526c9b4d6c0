import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStore } from '../../test/memory-store.js';
import { FakeClock } from '../clock.js';
import { Layout } from '../landing/layout.js';
import type { CommitEntry } from '../ledger/block-log.js';
import { readBlockLogs } from '../ledger/block-log.js';
import { indexRun } from '../ledger/landed-index.js';
import { Heartbeat, LivenessJudge } from '../ledger/sessions.js';
import { BlockClaims } from './claims.js';

const layout = new Layout('movies', 'r1', '2026-01-01');
const LEASE = 10_000;

/** A session of executor 0 on a shared memory store, with a judge that sees no PIDs (another machine). */
async function session(store: MemoryStore, clock: FakeClock, id: string, blockCount?: number) {
  const heartbeat = new Heartbeat(store, layout, clock, id, 0, LEASE);
  await heartbeat.start();
  const judge = new LivenessJudge(store, layout, clock, () => true);
  const claims = new BlockClaims(store, layout, clock, judge, id, 0, await readBlockLogs(store, layout), blockCount);
  return { heartbeat, claims };
}

const commit = (session: string, file: string, pages: number[]): CommitEntry => ({
  kind: 'commit', session, executor: 0, format: 'ndjson', file, pages, records: pages.length, bytes: 1, at: '',
});
const never = () => false;
const seen = (store: MemoryStore) => (file: string) => store.objects.has(file);

describe('block claims', () => {
  it('a claim made on an old view loses without writing: it looks at the next entry first', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const a = await session(store, clock, 'e000-aaaaaa');
    const b = await session(store, clock, 'e000-bbbbbb');
    assert.equal(await a.claims.acquire(3, never, seen(store)), 'work');
    const before = store.puts.length;
    assert.equal(await b.claims.acquire(3, never, seen(store)), 'busy', 'b had not seen the claim: it loses, then reads it');
    assert.deepEqual(store.puts.slice(before), [], 'no entry was written, not even one that lost');
    assert.equal(await b.claims.acquire(4, never, seen(store)), 'work');
  });

  it('a second live session cannot claim a held block, and cannot commit into it', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const a = await session(store, clock, 'e000-aaaaaa');
    const b = await session(store, clock, 'e000-bbbbbb');
    assert.equal(await a.claims.acquire(0, never, seen(store)), 'work');
    await b.claims.refresh([0]);
    assert.equal(await b.claims.acquire(0, never, seen(store)), 'busy');
    assert.equal(await b.claims.acquire(1, never, seen(store)), 'work', 'it takes a block nobody holds');
    assert.equal(await b.claims.append(0, commit('e000-bbbbbb', 'f-b', [1])), false);
    assert.equal(await a.claims.append(0, commit('e000-aaaaaa', 'f-a', [1])), true);
  });

  it('a session whose heartbeat stops is taken over after one lease, and its late commit is refused (a zombie)', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const zombie = await session(store, clock, 'e000-aaaaaa');
    assert.equal(await zombie.claims.acquire(0, never, seen(store)), 'work');
    assert.equal(await zombie.claims.append(0, commit('e000-aaaaaa', 'landed-1', [1, 2])), true);
    store.objects.set('landed-1', 'x');
    assert.equal(await zombie.claims.append(0, commit('e000-aaaaaa', 'never-written', [3])), true);
    await zombie.heartbeat.end(); // ends the beat loop; then pretend it never wrote its end
    const record = JSON.parse(store.objects.get(layout.session('e000-aaaaaa'))!);
    delete record.ended_at;
    store.objects.set(layout.session('e000-aaaaaa'), JSON.stringify(record));

    const taker = await session(store, clock, 'e000-cccccc');
    await taker.claims.refresh([0]);
    assert.equal(await taker.claims.acquire(0, never, seen(store)), 'busy', 'first sight of a heartbeat');
    await clock.advance(LEASE - 1);
    assert.equal(await taker.claims.acquire(0, never, seen(store)), 'busy', 'not yet a whole lease');
    await clock.advance(1);
    assert.equal(await taker.claims.acquire(0, never, seen(store)), 'work', 'a lease without a beat: gone');

    const log = taker.claims.logs.get(0)!;
    const claim = log.at(-1)!;
    assert.equal(claim.kind, 'claim');
    assert.deepEqual(claim.kind === 'claim' && claim.voids, ['never-written'], 'the commit whose file was not seen is void');
    assert.equal(await zombie.claims.append(0, commit('e000-aaaaaa', 'late', [4])), false, 'the zombie is fenced');

    store.objects.set('never-written', 'x'); // the zombie's file appears after all
    const index = indexRun(['ndjson'], await readBlockLogs(store, layout), new Map([['ndjson', new Map([['landed-1', 1], ['never-written', 1]])]]));
    assert.deepEqual([...index.landed.get('ndjson')!.keys()], [1, 2], 'only the file seen before the takeover counts');
    assert.deepEqual(index.orphans, ['never-written']);
  });

  it('an ended session frees its blocks at once', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const a = await session(store, clock, 'e000-aaaaaa');
    await a.claims.acquire(0, never, seen(store));
    await a.heartbeat.end();
    const b = await session(store, clock, 'e000-bbbbbb');
    await b.claims.refresh([0]);
    assert.equal(await b.claims.acquire(0, never, seen(store)), 'work');
  });

  it('a complete block is never claimed', async () => {
    const store = new MemoryStore();
    const a = await session(store, new FakeClock(), 'e000-aaaaaa');
    assert.equal(await a.claims.acquire(0, () => true, seen(store)), 'done');
    assert.equal(await store.list(layout.blocksDir).then((k) => k.length), 0);
  });

  it('of many sessions racing for one block, exactly one wins', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const sessions = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((x) => session(store, clock, `e000-${x.repeat(6)}`)));
    const verdicts = await Promise.all(sessions.map((s) => s.claims.acquire(0, never, seen(store))));
    assert.deepEqual(verdicts.filter((v) => v === 'work').length, 1);
  });

  it('a refresh reads only the logs that moved, and a pass reads each holder\'s record once', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const a = await session(store, clock, 'e000-aaaaaa');
    const b = await session(store, clock, 'e000-bbbbbb');
    for (const blk of [0, 1, 2, 3]) assert.equal(await a.claims.acquire(blk, never, seen(store)), 'work');
    const gets: string[] = [];
    const get = store.get.bind(store);
    store.get = async (key) => (gets.push(key), get(key));
    await b.claims.refresh([0, 1, 2, 3]);
    assert.equal(gets.length, 4, 'first look: every claim is read');
    gets.length = 0;
    for (const blk of [0, 1, 2, 3]) assert.equal(await b.claims.acquire(blk, never, seen(store)), 'busy');
    assert.deepEqual(gets, [layout.session('e000-aaaaaa')], "one read of the holder's record for its four blocks");
    gets.length = 0;
    await a.claims.append(2, commit('e000-aaaaaa', 'f-2', [5]));
    await b.claims.refresh([0, 1, 2, 3]);
    assert.deepEqual(gets.filter((k) => k.includes('/blocks/')), [layout.blockEntry(2, 2)], 'only block 2 moved, and only its new entry is read (entries are read once per process)');
    assert.equal(b.claims.logs.get(2)!.at(-1)!.kind, 'commit');
    await a.heartbeat.end();
    await b.claims.refresh([0, 1, 2, 3]);
    assert.equal(await b.claims.acquire(0, never, seen(store)), 'work', 'the holder ended: taken');
  });

  it('a takeover looks at the files again once the holder is gone: a file it made visible just before it ended is not voided', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const a = await session(store, clock, 'e000-aaaaaa');
    const b = await session(store, clock, 'e000-bbbbbb');
    let listed = new Set<string>(); // b's listing of the data files, taken before a's file was visible
    const looks: string[] = [];
    const exists = (file: string) => listed.has(file);
    const onStale = async () => {
      looks.push('listed again');
      listed = new Set(store.objects.keys());
    };
    assert.equal(await a.claims.acquire(0, never, seen(store)), 'work');
    assert.equal(await a.claims.append(0, commit('e000-aaaaaa', 'f-a', [1, 2])), true);
    await b.claims.refresh([0]);
    assert.equal(await b.claims.acquire(0, () => exists('f-a'), exists, onStale), 'busy');
    store.objects.set('f-a', 'x'); // a makes its file visible, then ends
    await a.heartbeat.end();
    await b.claims.refresh([0]);
    assert.equal(await b.claims.acquire(0, () => exists('f-a'), exists, onStale), 'done', 'the fresh listing shows the block complete');
    assert.deepEqual(looks, ['listed again']);
    assert.equal(b.claims.logs.get(0)!.filter((e) => e.kind === 'claim').length, 1, 'no takeover claim, nothing voided');
  });

  it("a gone holder's every block is looked at again, each by itself: none of its files made visible before it ended is voided", async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const a = await session(store, clock, 'e000-aaaaaa');
    const b = await session(store, clock, 'e000-bbbbbb');
    const known = new Set<string>(); // what b has seen of the data files
    const looks: number[] = [];
    const exists = (file: string) => known.has(file);
    // like Executor.refreshBlock: a look covers the files of one block's commits
    const lookAt = (blk: number) => async () => {
      looks.push(blk);
      if (store.objects.has(`f-${blk}`)) known.add(`f-${blk}`);
    };
    for (const blk of [0, 1]) {
      assert.equal(await a.claims.acquire(blk, never, seen(store)), 'work');
      assert.equal(await a.claims.append(blk, commit('e000-aaaaaa', `f-${blk}`, [blk * 10])), true);
    }
    await b.claims.refresh([0, 1]);
    for (const blk of [0, 1]) assert.equal(await b.claims.acquire(blk, () => exists(`f-${blk}`), exists, lookAt(blk)), 'busy');
    for (const blk of [0, 1]) store.objects.set(`f-${blk}`, 'x'); // a makes its files visible, then ends
    await a.heartbeat.end();
    await b.claims.refresh([0, 1]);
    for (const blk of [0, 1]) assert.equal(await b.claims.acquire(blk, () => exists(`f-${blk}`), exists, lookAt(blk)), 'done', `block ${blk}`);
    assert.deepEqual(looks, [0, 1]);
    for (const blk of [0, 1]) assert.equal(b.claims.logs.get(blk)!.filter((e) => e.kind === 'claim').length, 1, `block ${blk}: no takeover, nothing voided`);
  });

  it('a refresh of at least half the run\'s blocks lists every block log once, and reads what a listing per block would', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(1_000);
    const perBlock = await session(store, clock, 'e000-bbbbbb');
    const whole = await session(store, clock, 'e000-cccccc', 8);
    const writer = await session(store, clock, 'e000-aaaaaa');
    for (const b of [0, 2, 3, 5]) assert.equal(await writer.claims.acquire(b, never, seen(store)), 'work');
    assert.equal(await writer.claims.append(3, commit('e000-aaaaaa', 'f3', [7])), true);
    const listings: string[] = [];
    const list = store.list.bind(store);
    store.list = async (prefix) => (listings.push(prefix), list(prefix));
    await perBlock.claims.refresh([1, 2, 3, 4, 5]);
    assert.equal(listings.filter((p) => p.startsWith(layout.blocksDir)).length, 5, 'a listing per block (no block count given)');
    listings.length = 0;
    await whole.claims.refresh([1, 2, 3, 4, 5]);
    assert.deepEqual(listings.filter((p) => p.startsWith(layout.blocksDir)), [layout.blocksDir], '5 of 8 blocks: one listing');
    for (const b of [1, 2, 3, 4, 5]) assert.deepEqual(whole.claims.logs.get(b) ?? [], perBlock.claims.logs.get(b) ?? [], `block ${b}`);
    assert.equal(whole.claims.logs.get(3)?.length, 2, 'the claim and the commit, read');
    assert.equal(whole.claims.logs.get(0)?.length ?? 0, 0, 'a block not asked about is not read');
    listings.length = 0;
    await whole.claims.refresh([1, 2]);
    assert.equal(listings.filter((p) => p.startsWith(layout.blocksDir)).length, 2, '2 of 8 blocks: a listing each');
  });
});
