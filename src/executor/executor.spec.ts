import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { describe, it } from 'node:test';
import { MemoryStore } from '../../test/memory-store.js';
import { FakeClock } from '../clock.js';
import type { HttpResponse } from '../http/types.js';
import { Layout } from '../landing/layout.js';
import { appendEntry, readBlockLogs } from '../ledger/block-log.js';
import { landedEverywhere } from '../ledger/landed-index.js';
import { readLedger } from '../ledger/reader.js';
import { processIdentity } from '../ledger/sessions.js';
import { loadIndex } from '../ledger/status.js';
import { createPagination } from '../pagination/create.js';
import type { Plan } from '../plan/types.js';
import { specFromObject } from '../spec/load.js';
import { Executor, waitForOthersMs, type PageClient } from './executor.js';

const PAGES = 20;
const spec = specFromObject({
  dataset: 'movies',
  source: { url: 'http://api.test/movies', records: 'results' },
  pagination: { page: { total_pages: 'total_pages' } },
  limits: { concurrency: 3 },
  output: { root: '/unused', formats: ['ndjson'], file_target: '1MiB' },
});
const plan: Plan = {
  version: 2, dataset: 'movies', run_id: 'r1', created_at: '', ingest_date: '2026-01-01', executors: 1, style: 'page',
  partitioning: 'contiguous', pages: { first: 1, last: PAGES }, block_pages: 5, page_size: 10, fingerprint: spec.fingerprint,
};
const layout = new Layout('movies', 'r1', '2026-01-01');

/** An API of PAGES pages of 10 records, counting the pages it served. */
function api(): PageClient & { served: number[] } {
  const served: number[] = [];
  return {
    served,
    async getJson(req): Promise<HttpResponse> {
      const page = Number(new URL(req.url).searchParams.get('page'));
      served.push(page);
      const results = Array.from({ length: 10 }, (_, i) => ({ id: page * 10 + i }));
      return { status: 200, headers: {}, body: { results, total_pages: PAGES }, bytes: 100, attempts: 1, url: req.url };
    },
  };
}

function executor(store: MemoryStore, clock: FakeClock, client: PageClient, signal = new AbortController().signal) {
  return new Executor({
    spec, plan, index: 0, layout, store, client, strategy: createPagination(spec), redact: (s) => s, clock, signal, leaseMs: 4_000,
  });
}

describe('Executor (memory store, fake clock)', () => {
  it('lands every page once, in files of one block each, with one ledger line per page; a rerun fetches nothing', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    const client = api();
    const { stats } = await executor(store, clock, client).run();
    assert.equal(stats.pagesLanded, PAGES);
    assert.equal(stats.pagesFetched, PAGES, 'every page counted as fetched once');
    assert.equal(stats.recordsFetched, stats.records);
    assert.deepEqual([...client.served].sort((a, b) => a - b), Array.from({ length: PAGES }, (_, i) => i + 1));
    const index = await loadIndex(store, layout, ['ndjson']);
    for (let p = 1; p <= PAGES; p++) assert.ok(landedEverywhere(index, p), `page ${p} landed`);
    assert.equal(index.commits.length, 4, 'one file per block of 5 pages');
    for (const c of index.commits) assert.equal(new Set(c.pages.map((p) => Math.floor((p - 1) / 5))).size, 1, 'a file holds one block');
    const landedLines = [];
    for await (const e of readLedger(store, layout)) if (e.status === 'landed') landedLines.push(e.page);
    assert.equal(landedLines.length, PAGES);

    const again = api();
    const second = await executor(store, clock, again).run();
    assert.equal(again.served.length, 0, 'nothing fetched twice');
    assert.equal(second.stats.pagesAlreadyLanded, PAGES);
    assert.equal(second.stats.pagesFetched, 0);
  });

  it('leaves a block that a live session holds to it, waits, and takes it when that session ends', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    const other = 'e000-0ther0';
    // a live session of this executor index (this very process, so the PID check says "alive") holds block 2
    const record = { session: other, executor: 0, ...processIdentity(), host: hostname(), started_at: '', beat_at: '', beat: 1, lease_ms: 4_000 };
    await store.put(layout.session(other), JSON.stringify(record));
    await appendEntry(store, layout, 2, [], { kind: 'claim', session: other, executor: 0, at: '' });

    const client = api();
    const running = executor(store, clock, client).run();
    while (client.served.length < PAGES - 5) await clock.advance(1_000);
    for (let i = 0; i < 3; i++) await clock.advance(1_000);
    assert.ok(client.served.every((p) => p < 11 || p > 15), 'no page of the held block was fetched');

    await store.put(layout.session(other), JSON.stringify({ ...record, ended_at: 'now' }));
    while (client.served.length < PAGES) await clock.advance(1_000);
    const { stats } = await running;
    assert.equal(stats.pagesLanded, PAGES);
    const log = (await readBlockLogs(store, layout, [2])).get(2)!;
    assert.equal(log[1].kind === 'claim' && log[1].took_from, other, 'the block was taken over from the ended session');
  });
});

describe('waitForOthersMs', () => {
  it('looks every 50 ms for half a second in a run of few executors, then backs off to 500 ms; with many it backs off at once, further', () => {
    const few = Array.from({ length: 14 }, (_, k) => waitForOthersMs(k, 2, 10_000));
    assert.deepEqual(few, [50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 100, 200, 400, 500]);
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((k) => waitForOthersMs(k, 16, 10_000)), [50, 100, 200, 400, 500, 500]);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((k) => waitForOthersMs(k, 64, 10_000)), [50, 100, 200, 400, 800, 1600, 2000]);
    assert.equal(waitForOthersMs(20, 2, 1_000), 250, 'never longer than a quarter lease');
  });
});
