import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Layout } from '../src/landing/layout.js';
import type { Store } from '../src/landing/types.js';
import { readLedger } from '../src/ledger/reader.js';
import { LedgerWriter } from '../src/ledger/writer.js';
import { listKeys, pagefleet, readBack, run, startMockApi, tempDir, waitFor, writeJob } from './harness.js';

/** What one store implementation brings to the shared suite. */
export interface StoreFixture {
  /** `output.root` for a job spec: a folder or s3://bucket/prefix, empty at start. */
  root: string;
  /** Environment a `pagefleet` child process needs to reach the store. */
  env: NodeJS.ProcessEnv;
  /** A store opened on `root`, with multipart (where there is such a thing) from 5 MiB. */
  store: Store;
  /** A store whose preflight must fail (missing bucket, root under a file…). */
  unusable: Store;
  /**
   * False for a server whose `If-None-Match: *` is checked but not atomic: two writers racing on one key
   * can both succeed (versitygw 1.7.0), though the stored bytes are a winner's and later writers are refused.
   */
  atomicCreateOnce?: boolean;
  /** Leaves what a writer killed mid-write leaves behind: a temp file, or an unfinished multipart upload. */
  leaveInterruptedWrite(dir: string, name: string): Promise<void>;
  teardown(): Promise<void>;
}

const MiB = 1024 * 1024;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const text = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

/**
 * The landing-zone contract every store must keep (docs/design.md,
 * "A file is visible only after its commit entry" and "The block log"): atomic visibility, create-once,
 * listing with prefixes, crash leftovers swept, the ledger, and resume and status through the real CLI.
 * Runs unchanged against the folder store and the S3 store.
 */
export function storeConformance(name: string, setup: () => Promise<StoreFixture>): void {
  describe(`store conformance: ${name}`, () => {
    let fx: StoreFixture;
    before(async () => (fx = await setup()));
    after(async () => fx?.teardown());

    test('bytes round-trip: text, small binary, and a file large enough for multipart', async () => {
      const big = randomBytes(11 * MiB + 123);
      await fx.store.put('rt/text.json', '{"a":1}');
      await fx.store.put('rt/small.bin', new Uint8Array([0, 255, 1, 254]));
      await fx.store.put('rt/big.bin', big);
      assert.equal(text(await fx.store.get('rt/text.json')), '{"a":1}');
      assert.deepEqual([...(await fx.store.get('rt/small.bin'))!], [0, 255, 1, 254]);
      assert.equal(sha((await fx.store.get('rt/big.bin'))!), sha(big));
    });

    test('get of a missing key is undefined; a put replaces the whole object', async () => {
      assert.equal(await fx.store.get('nothing/here'), undefined);
      await fx.store.put('rep/x', 'first version, longer');
      await fx.store.put('rep/x', 'second');
      assert.equal(text(await fx.store.get('rep/x')), 'second');
    });

    test('create-once: a second writer is refused and the first one\'s bytes stay', async () => {
      assert.equal(await fx.store.put('once/seq.json', 'first', { ifAbsent: true }), true);
      assert.equal(await fx.store.put('once/seq.json', 'second', { ifAbsent: true }), false);
      assert.equal(text(await fx.store.get('once/seq.json')), 'first');
    });

    test('durable: false writes the same way (atomic, create-once refused the second time), only without fsync', async () => {
      assert.equal(await fx.store.put('light/beat.json', 'beat 1', { durable: false }), true);
      await fx.store.put('light/beat.json', 'beat 2', { durable: false });
      assert.equal(text(await fx.store.get('light/beat.json')), 'beat 2');
      assert.equal(await fx.store.put('light/slot.json', 'claim', { ifAbsent: true, durable: false }), true);
      assert.equal(await fx.store.put('light/slot.json', 'other', { ifAbsent: true, durable: false }), false);
      assert.equal(text(await fx.store.get('light/slot.json')), 'claim');
      assert.deepEqual(await fx.store.list('light'), ['light/beat.json', 'light/slot.json'], 'no temp file left behind');
    });

    test('create-once under concurrency: exactly one writer wins (at least one where the server is not atomic)', async () => {
      const results = await Promise.all([0, 1, 2, 3, 4].map((i) => fx.store.put('once/plan.json', `writer ${i}`, { ifAbsent: true })));
      const winners = results.flatMap((won, i) => (won ? [`writer ${i}`] : []));
      if (fx.atomicCreateOnce === false) assert.ok(winners.length >= 1, `some writer wins, got ${results}`);
      else assert.equal(winners.length, 1, `one winner, got ${results}`);
      const stored = text(await fx.store.get('once/plan.json'))!;
      assert.ok(winners.includes(stored), `the stored bytes are a winner's: ${stored}`);
      assert.equal(await fx.store.put('once/plan.json', 'late', { ifAbsent: true }), false);
      assert.equal(text(await fx.store.get('once/plan.json')), stored);
    });

    test('list: recursive, sorted, relative to the root, bounded by the prefix, dot-files skipped', async () => {
      for (const k of ['ls/a/2.txt', 'ls/a/1.txt', 'ls/a/deep/3.txt', 'ls/ab/4.txt', 'ls/a/.hidden', 'ls/a/_READY']) await fx.store.put(k, k);
      assert.deepEqual(await fx.store.list('ls/a'), ['ls/a/1.txt', 'ls/a/2.txt', 'ls/a/_READY', 'ls/a/deep/3.txt']);
      assert.deepEqual(await fx.store.list('ls/ab'), ['ls/ab/4.txt']);
      assert.deepEqual(await fx.store.list('ls/none'), []);
    });

    test('delete removes an object; deleting a missing one is not an error', async () => {
      await fx.store.put('del/x', 'x');
      await fx.store.delete('del/x');
      await fx.store.delete('del/x');
      assert.equal(await fx.store.get('del/x'), undefined);
      assert.deepEqual(await fx.store.list('del'), []);
    });

    test('atomic visibility: a reader polling during a large write sees nothing or everything', async () => {
      const body = randomBytes(12 * MiB);
      const want = sha(body);
      let writing = true;
      const seen = { absent: 0, whole: 0 };
      const reader = (async () => {
        while (writing) {
          const listed = await fx.store.list('atomic');
          const got = await fx.store.get('atomic/file.parquet');
          if (got === undefined) {
            assert.deepEqual(listed, [], 'nothing is listed before the object is whole');
            seen.absent++;
          } else {
            assert.equal(sha(got), want, 'a visible object is complete');
            seen.whole++;
          }
        }
      })();
      await fx.store.put('atomic/file.parquet', body);
      writing = false;
      await reader;
      assert.ok(seen.absent > 0, 'the reader polled while the write was in flight');
      assert.equal(sha((await fx.store.get('atomic/file.parquet'))!), want);
    });

    test('read streams an object in chunks; getTail returns its last bytes; both are undefined when absent', async () => {
      const body = randomBytes(11 * MiB + 5);
      await fx.store.put('rd/big.bin', body);
      const chunks: Buffer[] = [];
      for await (const c of (await fx.store.read('rd/big.bin'))!) chunks.push(Buffer.from(c));
      assert.ok(chunks.length > 1, 'streamed in more than one chunk');
      assert.equal(sha(Buffer.concat(chunks)), sha(body));
      assert.deepEqual(Buffer.from((await fx.store.getTail('rd/big.bin', 100))!), body.subarray(-100));
      await fx.store.put('rd/small.txt', 'tiny');
      assert.equal(text(await fx.store.getTail('rd/small.txt', 1000)), 'tiny');
      assert.equal(await fx.store.read('rd/none'), undefined);
      assert.equal(await fx.store.getTail('rd/none', 10), undefined);
    });

    test('size is an object\'s byte count, undefined for a missing key and for a folder-like prefix', async () => {
      await fx.store.put('sz/a/one.bin', randomBytes(1234));
      await fx.store.put('sz/empty', '');
      assert.equal(await fx.store.size('sz/a/one.bin'), 1234);
      assert.equal(await fx.store.size('sz/empty'), 0);
      assert.equal(await fx.store.size('sz/none'), undefined);
      assert.equal(await fx.store.size('sz/a'), undefined);
    });

    test('an upload streamed in pieces is invisible until complete, then whole; abort leaves nothing', async () => {
      const pieces = [randomBytes(3 * MiB), randomBytes(4 * MiB), randomBytes(2 * MiB + 7), randomBytes(1)]; // crosses the 5 MiB part size
      const up = fx.store.openUpload('up/data/file.parquet');
      for (const p of pieces) {
        await up.write(p);
        assert.equal(await fx.store.get('up/data/file.parquet'), undefined, 'nothing visible while writing');
        assert.deepEqual(await fx.store.list('up'), [], 'nothing listed while writing');
      }
      assert.equal(up.bytes, pieces.reduce((n, p) => n + p.length, 0));
      await up.complete();
      assert.equal(sha((await fx.store.get('up/data/file.parquet'))!), sha(Buffer.concat(pieces)));

      const small = fx.store.openUpload('up/data/small.json');
      await small.write(Buffer.from('{"a":'));
      await small.write(Buffer.from('1}'));
      await small.complete();
      assert.equal(text(await fx.store.get('up/data/small.json')), '{"a":1}');

      const dropped = fx.store.openUpload('up/data/dropped.parquet');
      await dropped.write(randomBytes(6 * MiB));
      await dropped.abort();
      await fx.store.openUpload('up/data/never-written.parquet').abort();
      assert.deepEqual(await fx.store.list('up'), ['up/data/file.parquet', 'up/data/small.json']);
      assert.equal(await fx.store.sweep('up/data', 'dropped'), 0, 'an aborted upload leaves no leftover to sweep');
    });

    test('sweep removes only its own writer\'s interrupted writes, which were never listed', async () => {
      await fx.store.put('sw/part-e002-keep.parquet', 'landed');
      await fx.leaveInterruptedWrite('sw', 'part-e001-p000000001-aaaa.parquet');
      await fx.leaveInterruptedWrite('sw', 'part-e001-p000000009-bbbb.parquet');
      await fx.leaveInterruptedWrite('sw', 'part-e002-p000000005-cccc.parquet');
      assert.deepEqual(await fx.store.list('sw'), ['sw/part-e002-keep.parquet'], 'interrupted writes are invisible');
      assert.equal(await fx.store.sweep('sw', 'part-e001-'), 2);
      assert.equal(await fx.store.sweep('sw', 'part-e001-'), 0, 'nothing left of writer 1');
      assert.equal(await fx.store.sweep('sw', 'part-e002-'), 1, "writer 2's leftover was not touched by writer 1");
      assert.deepEqual(await fx.store.list('sw'), ['sw/part-e002-keep.parquet']);
    });

    test('keys cannot escape the root', async () => {
      await assert.rejects(fx.store.put('../escape', 'x'));
      await assert.rejects(fx.store.put('a/../../escape', 'x'));
    });

    test('preflight passes on a usable store and fails with exit code 3 on an unusable one', async () => {
      await fx.store.preflight();
      await assert.rejects(fx.unusable.preflight(), (e: Error & { code?: string }) => e.code === 'PF_ERR_UNAVAILABLE' && e.message.startsWith('output.root:'));
    });

    test('ledger: segments written by two sessions read back in full, per executor and overall', async () => {
      const layout = new Layout('ledgertest', 'r1', '2026-11-25');
      const entry = (page: number) => ({ page, attempt: 1, status: 'landed' as const, started_at: '2026-11-25T00:00:00.000Z', duration_ms: 1, records: 10 });
      for (const executor of [0, 1]) {
        for (let session = 0; session < 2; session++) {
          const w = new LedgerWriter(fx.store, layout, executor, (s) => s, { now: new Date(Date.UTC(2026, 10, 25, 0, 0, session)) });
          for (let p = 0; p < 3; p++) w.record(entry(executor * 100 + session * 10 + p));
          await w.flush();
          w.record(entry(executor * 100 + session * 10 + 9));
          await w.flush();
        }
      }
      const pages = async (executor?: number) => {
        const out: number[] = [];
        for await (const e of readLedger(fx.store, layout, executor)) out.push(e.page);
        return out.sort((a, b) => a - b);
      };
      assert.deepEqual(await pages(1), [100, 101, 102, 109, 110, 111, 112, 119]);
      assert.equal((await pages()).length, 16);
    });

    describe('resume and status through the CLI', () => {
      const SIZE = 3_000;
      let api: Awaited<ReturnType<typeof startMockApi>>;
      before(async () => (api = await startMockApi(['--size', String(SIZE), '--per-page', '50', '--latency', '5', '--seed', '11'])));
      after(async () => api.stop());

      test('an interrupted run reports missing pages; resuming lands exactly the rest', { timeout: 120_000 }, async () => {
        const dir = await tempDir();
        const job = await writeJob(
          dir,
          `dataset: conform
source: { url: "${api.url}/3/movie/popular", records: results }
pagination: { page: { total_pages: total_pages } }
limits: { rate: 60, concurrency: 2 }
output: { root: "${fx.root}", formats: [parquet, ndjson], file_target: 20KiB }
`,
        );
        const args = ['ingest', job, '--run-id', 'conform-1', '--executors', '2', '--executor-index', '0', '--log-format', 'json', '--only-own-partition'];
        const first = pagefleet(args, fx.env);
        const commits = 'conform/ndjson/ingest_date=';
        await waitFor(async () => (await listKeys(fx.root, commits, fx.env)).length >= 3, 60_000);
        first.child.kill('SIGTERM');
        const stopped = await first.done;
        assert.equal(stopped.code, 130, stopped.stderr);

        for (const format of ['parquet', 'ndjson']) {
          assert.ok((await listKeys(fx.root, `conform/${format}`, fx.env)).includes(`conform/${format}/_READY`), `${format}/_READY marker`);
        }
        const mid = await run(['status', job, '--run-id', 'conform-1', '--json'], fx.env);
        assert.equal(mid.code, 1, mid.stderr);
        const before = JSON.parse(mid.stdout);
        assert.ok(before.executors[0].landed > 0 && before.executors[0].missing > 0, mid.stdout);
        assert.equal(before.executors[1].landed, 0);

        const resumed = await run(args, fx.env);
        assert.equal(resumed.code, 0, resumed.stderr);
        const stats = JSON.parse(resumed.stderr.trim().split('\n').filter((l) => l.includes('executor_finished')).pop()!);
        assert.equal(stats.pagesAlreadyLanded, before.executors[0].landed, 'resume skipped every landed page');
        assert.equal(stats.pagesLanded, before.executors[0].missing, 'resume fetched exactly the missing pages');
        const other = await run(['ingest', job, '--run-id', 'conform-1', '--executors', '2', '--executor-index', '1'], fx.env);
        assert.equal(other.code, 0, other.stderr);

        const final = await run(['status', job, '--run-id', 'conform-1', '--json'], fx.env);
        assert.equal(final.code, 0, final.stdout);
        const st = JSON.parse(final.stdout);
        assert.equal(st.totals.landed, SIZE / 50);
        assert.equal(st.records, SIZE);
        assert.deepEqual(st.reconcile.orphan_files, []);
        for (const format of ['parquet', 'ndjson'] as const) {
          const data = readBack(fx.root, 'conform', format, fx.env);
          assert.equal(data.count, SIZE, `${format}: every record`);
          assert.equal(data.distinct, SIZE, `${format}: no record twice`);
          assert.deepEqual(data.temp_files, []);
        }
      });
    });
  });
}
