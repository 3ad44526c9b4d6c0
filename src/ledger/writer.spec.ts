import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock.js';
import { WriteError } from '../errors.js';
import { DEFAULT_ONE_LINE_MAX } from '../http/constants.js';
import { describeError } from '../http/one-line.js';
import { Redactor } from '../http/redact.js';
import { Layout } from '../landing/layout.js';
import { MemoryStore as BaseMemoryStore } from '../../test/memory-store.js';
import { LEDGER_PUT_RETRY } from './constants.js';
import type { LedgerEntry } from './types.js';
import { LedgerWriter } from './writer.js';

/** The memory store, with the ledger's lines parsed back. */
class MemoryStore extends BaseMemoryStore {
  /** Every ledger line, segment by segment in key order, parsed. */
  lines(): LedgerEntry[] {
    return [...this.objects.keys()]
      .sort()
      .flatMap((k) => this.objects.get(k)!.split('\n').filter(Boolean))
      .map((l) => JSON.parse(l) as LedgerEntry);
  }
}

const layout = new Layout('movies', 'run-1', '2026-01-01');
const entry = (page: number, extra: Partial<LedgerEntry> = {}) => ({
  page,
  attempt: 1,
  status: 'landed' as const,
  started_at: '2026-01-01T00:00:00.000Z',
  duration_ms: 3,
  ...extra,
});

function setup(failNext = 0, redact: (s: string) => string = (s) => s) {
  const store = new MemoryStore();
  store.failNext = failNext;
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const writer = new LedgerWriter(store, layout, 2, redact, { clock, random: () => 0.5 });
  return { store, clock, writer };
}

/** Advances the fake clock until `p` settles (bounded, so a stuck flush fails the test instead of hanging). */
async function drive<T>(p: Promise<T>, clock: FakeClock): Promise<T> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 10_000 && !settled; i++) {
    await new Promise((r) => setImmediate(r));
    await clock.advance(250);
  }
  assert.ok(settled, 'the flush settled');
  return p;
}

describe('LedgerWriter', () => {
  it('lands the buffered lines as one segment per flush, in order', async () => {
    const { store, clock, writer } = setup();
    for (const p of [1, 2, 3]) writer.record(entry(p));
    await drive(writer.flush(), clock);
    writer.record(entry(4));
    await drive(writer.flush(), clock);
    assert.equal(store.objects.size, 2);
    assert.deepEqual(store.lines().map((l) => l.page), [1, 2, 3, 4]);
    assert.deepEqual(store.lines()[0], { run_id: 'run-1', dataset: 'movies', executor: 2, ...entry(1) });
    assert.equal(writer.pending, 0);
  });

  it('retries a transient failure: every line lands once, in order, under one key', async () => {
    const { store, clock, writer } = setup(3);
    for (const p of [1, 2, 3]) writer.record(entry(p));
    await drive(writer.flush(), clock);
    assert.equal(store.puts.length, 4, 'three failed puts, then one that landed');
    assert.equal(new Set(store.puts).size, 1, 'the retried put reused its key');
    assert.deepEqual(store.lines().map((l) => l.page), [1, 2, 3]);
    assert.equal(writer.failed, undefined);
  });

  it('waits with capped exponential backoff between attempts (about 5.5 to 11 s over 5 attempts)', async () => {
    const { store, clock, writer } = setup(LEDGER_PUT_RETRY.attempts - 1);
    writer.record(entry(1));
    const start = clock.now();
    await drive(writer.flush(), clock);
    const waited = clock.now() - start;
    assert.equal(store.puts.length, LEDGER_PUT_RETRY.attempts);
    // random 0.5 → each wait is 3/4 of its ceiling: 750 + 1500 + 3000 + 3000, give or take the drive step
    assert.ok(waited >= 8_250 && waited < 8_250 + 250, `waited ${waited} ms`);
  });

  it('gives up on a lasting failure with a WriteError, then a later flush lands everything once the store heals', async () => {
    const { store, clock, writer } = setup(Infinity);
    for (const p of [1, 2]) writer.record(entry(p));
    await assert.rejects(drive(writer.flush(), clock), (e: WriteError) => {
      assert.ok(e instanceof WriteError);
      assert.equal(e.code, 'PF_ERR_WRITE');
      assert.match(e.message, /not written after 5 attempts: .*503 SlowDown/);
      return true;
    });
    assert.equal(store.puts.length, LEDGER_PUT_RETRY.attempts);
    assert.ok(writer.failed instanceof WriteError, 'the executor can see the failure');
    assert.equal(writer.pending, 2, 'the lines are still queued');

    writer.record(entry(3));
    store.failNext = 0;
    await drive(writer.flush(), clock);
    assert.deepEqual(store.lines().map((l) => l.page), [1, 2, 3], 'nothing lost, nothing reordered, nothing twice');
    assert.equal(store.objects.size, 2, 'the failed segment kept its key; the new lines got the next one');
    assert.equal(writer.failed, undefined);
    assert.equal(writer.pending, 0);
  });

  it('is not poisoned: the flush after a failed one puts again instead of repeating the old error', async () => {
    const { store, clock, writer } = setup(LEDGER_PUT_RETRY.attempts);
    writer.record(entry(1));
    await assert.rejects(drive(writer.flush(), clock), WriteError);
    const attempts = store.puts.length;
    await drive(writer.flush(), clock);
    assert.equal(store.puts.length, attempts + 1, 'the second flush reached the store');
    assert.deepEqual(store.lines().map((l) => l.page), [1]);
  });

  it('keeps lines recorded during a retry for the next segment, after the one being retried', async () => {
    const { store, clock, writer } = setup(2);
    writer.record(entry(1));
    const first = writer.flush();
    await new Promise((r) => setImmediate(r)); // the first put has failed; the writer is waiting to retry
    writer.record(entry(2));
    const second = writer.flush();
    await drive(Promise.all([first, second]), clock);
    assert.deepEqual(store.lines().map((l) => l.page), [1, 2]);
    assert.equal(store.objects.size, 2);
  });

  it('coalesces flushes called while one runs into a single queued flush', async () => {
    const { store, clock, writer } = setup(1);
    writer.record(entry(1));
    const running = writer.flush();
    await new Promise((r) => setImmediate(r));
    writer.record(entry(2));
    const a = writer.flush();
    writer.record(entry(3));
    const b = writer.flush();
    assert.equal(a, b, 'the second caller joined the queued flush');
    await drive(Promise.all([running, a]), clock);
    assert.equal(store.objects.size, 2, 'one segment for page 1, one for pages 2 and 3');
    assert.deepEqual(store.lines().map((l) => l.page), [1, 2, 3]);
  });

  it('a flush with nothing recorded writes nothing', async () => {
    const { store, clock, writer } = setup();
    await drive(writer.flush(), clock);
    assert.equal(store.puts.length, 0);
  });

  it('a one-character secret never corrupts a line: free-text values are redacted before serialising', async () => {
    for (const secret of ['a', 'e', '"', '\\', ':', ',', 't', '1']) {
      const { store, clock, writer } = setup(0, new Redactor([secret]).fn);
      writer.record(entry(1, { error: `a "quoted" \\ path: status=failed, token ${secret}`, cursor: `https://api.test/?k=${secret}` }));
      writer.record(entry(2, { status: 'failed', error_class: 'TRANSIENT', http_status: 503, files: ['movies/a.parquet'] }));
      await drive(writer.flush(), clock);
      const raw = [...store.objects.values()].join('').split('\n').filter(Boolean);
      assert.equal(raw.length, 2, `secret ${JSON.stringify(secret)}: two lines`);
      for (const line of raw) {
        const parsed = JSON.parse(line) as Record<string, unknown>; // throws if the line is broken
        for (const key of ['run_id', 'dataset', 'executor', 'page', 'attempt', 'status', 'started_at', 'duration_ms']) {
          assert.ok(key in parsed, `secret ${JSON.stringify(secret)}: key ${key} intact in ${line}`);
        }
        for (const field of ['error', 'cursor']) {
          const value = parsed[field];
          if (typeof value === 'string') assert.ok(!value.includes(secret), `secret ${JSON.stringify(secret)} left in ${value}`);
        }
      }
      const [first, second] = store.lines();
      assert.equal(second.status, 'failed', "pagefleet's own vocabulary is never redacted");
      assert.equal(second.error_class, 'TRANSIENT');
      assert.deepEqual(second.files, ['movies/a.parquet']);
      assert.equal(first.page, 1);
      assert.equal(second.executor, 2, 'numbers are not redacted');
      assert.equal(second.http_status, 503);
    }
  });

  it('an error given whole is redacted, then made one line and cut: no secret survives folding or the cut', async () => {
    // a secret with a tab and a newline (folding would change it) that straddles the cut
    const secret = 's3cr\tt\nv4lue';
    const { store, clock, writer } = setup(0, new Redactor([secret]).fn);
    // 'GET failed at page 3 (cause: ' is 29 characters: the secret starts 6 before the cut
    const cause = new Error(`${'x'.repeat(DEFAULT_ONE_LINE_MAX - 36)} ${secret} tail`);
    const error = describeError(new Error('GET failed\n  at page 3', { cause }));
    assert.ok(error.includes(secret), 'given whole, unredacted');
    const written = writer.record(entry(1, { status: 'failed', error }));
    await drive(writer.flush(), clock);
    const [line] = store.lines();
    assert.deepEqual(line, written, 'record returns the line as written');
    assert.ok(!line.error!.includes('s3cr') && !line.error!.includes('v4lue'), line.error);
    assert.doesNotMatch(line.error!, /\n|\t/, 'one line');
    assert.equal(line.error!.length, DEFAULT_ONE_LINE_MAX, 'cut to the one-line length');
    assert.match(line.error!, /^GET failed at page 3 \(cause: x+ \*\*\* t?…$/);
  });
});

