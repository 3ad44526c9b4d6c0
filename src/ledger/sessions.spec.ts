import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock.js';
import { MemoryStore } from '../../test/memory-store.js';
import { Layout } from '../landing/layout.js';
import { Heartbeat, LivenessJudge, SHARED_RECORD_MAX_AGE_MS, SharedRecordReads, type SessionRecord } from './sessions.js';

describe('SharedRecordReads', () => {
  it('hands a record read by one session of the process to the others while it is young, then reads again', async () => {
    const clock = new FakeClock(1_000);
    const shared = new SharedRecordReads(clock);
    let reads = 0;
    const read = async () => ({ session: 'e001-bbbbbb', beat: ++reads }) as unknown as SessionRecord;
    const first = await shared.read('sessions/e001-bbbbbb.json', read);
    await clock.advance(SHARED_RECORD_MAX_AGE_MS - 1);
    assert.equal(await shared.read('sessions/e001-bbbbbb.json', read), first);
    assert.equal(reads, 1);
    await clock.advance(1);
    assert.equal((await shared.read('sessions/e001-bbbbbb.json', read))?.beat, 2, 'old enough: read again');
    await shared.read('sessions/e002-cccccc.json', read);
    assert.equal(reads, 3, 'each record by itself');
  });

  it('does not keep a read that failed', async () => {
    const clock = new FakeClock(1_000);
    const shared = new SharedRecordReads(clock);
    const failing = () => Promise.reject(new Error('store down'));
    await assert.rejects(shared.read('sessions/x.json', failing), /store down/);
    const ok = await shared.read('sessions/x.json', async () => ({ session: 'x' }) as unknown as SessionRecord);
    assert.equal(ok?.session, 'x');
  });
});

describe('LivenessJudge.goneNow', () => {
  it('names the sessions gone by their records alone (ended, or a dead process on this host), never `except`, a discovery session or a live one', async () => {
    const store = new MemoryStore();
    const layout = new Layout('movies', 'r1', '2026-01-01');
    const clock = new FakeClock(1_000);
    const beat = async (id: string, executor: number, role?: 'discovery') => {
      const h = new Heartbeat(store, layout, clock, id, executor, 10_000, role);
      await h.start();
      return h;
    };
    await beat('e000-aaaaaa', 0);
    await (await beat('e001-bbbbbb', 1)).end();
    await (await beat('e002-cccccc', 2, 'discovery')).end();
    await (await beat('e003-dddddd', 3)).end();
    await beat('e004-eeeeee', 4);
    const processesAlive = new LivenessJudge(store, layout, clock, () => true);
    assert.deepEqual(await processesAlive.goneNow('e003-dddddd'), ['e001-bbbbbb']);
    // the records were written from this host and PID namespace: with their processes dead, the live ones are gone too
    const processesDead = new LivenessJudge(store, layout, clock, () => false);
    assert.deepEqual((await processesDead.goneNow('e000-aaaaaa')).sort(), ['e001-bbbbbb', 'e003-dddddd', 'e004-eeeeee']);
  });
});
