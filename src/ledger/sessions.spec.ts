import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock.js';
import { SHARED_RECORD_MAX_AGE_MS, SharedRecordReads, type SessionRecord } from './sessions.js';

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
