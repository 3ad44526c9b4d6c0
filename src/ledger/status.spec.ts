import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryStore } from '../../test/memory-store.js';
import { Layout } from '../landing/layout.js';
import type { Plan } from '../plan/types.js';
import { computeStatus } from './status.js';
import type { LedgerEntry } from './types.js';

const plan: Plan = {
  version: 2,
  dataset: 'movies',
  run_id: 'R1',
  created_at: '2026-01-01T00:00:00.000Z',
  ingest_date: '2026-01-01',
  executors: 2,
  style: 'page',
  partitioning: 'contiguous',
  pages: { first: 1, last: 4 },
};

const failed = (executor: number, page: number, http_status: number, started_at: string): LedgerEntry => ({
  run_id: 'R1', dataset: 'movies', executor, page, attempt: 1, status: 'failed', http_status,
  error_class: 'SERVER_ERROR', error: `HTTP ${http_status}`, started_at, duration_ms: 5,
});

async function segment(store: MemoryStore, layout: Layout, executor: number, lines: LedgerEntry[]) {
  await store.put(`${layout.ledgerDir(executor)}/20260101T000000000Z-s${executor}-000000.jsonl`, lines.map((l) => JSON.stringify(l) + '\n').join(''));
}

test("a page's last attempt is its latest by start time, not the last line in executor order", async () => {
  // executor 1 fails page 3 first; executor 0 takes the released block and fails it again later
  const store = new MemoryStore();
  const layout = new Layout('movies', 'R1', '2026-01-01');
  await segment(store, layout, 0, [failed(0, 3, 502, '2026-01-01T00:00:02.000Z'), failed(0, 1, 500, '2026-01-01T00:00:01.000Z')]);
  await segment(store, layout, 1, [failed(1, 3, 503, '2026-01-01T00:00:01.500Z'), failed(1, 1, 503, '2026-01-01T00:00:01.000Z')]);
  const status = await computeStatus(store, layout, plan, ['ndjson']);
  // page 3: the 502 at 00:02 is later than the 503 at 01.5; page 1: equal times keep the line read later (executor 1's)
  assert.deepEqual(status.failures, { 'SERVER_ERROR 502': 1, 'SERVER_ERROR 503': 1 });
  assert.deepEqual(status.totals, { planned: 4, landed: 0, failed: 2, missing: 2 });
});
