import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../errors.js';
import type { Plan } from '../plan/types.js';
import { specFromObject } from '../spec/load.js';
import { checkResumeSpec } from './check-resume.js';

const job = {
  dataset: 'movies',
  source: { url: 'https://api.example.com/movies', headers: { Authorization: 'Bearer ${TOKEN}' }, records: 'results' },
  pagination: { page: { total_pages: 'total_pages' } },
  output: { formats: ['parquet'] },
};
const spec = (overrides = {}, env: NodeJS.ProcessEnv = { TOKEN: 'first-secret' }) => specFromObject(job, overrides, env);
const plan = (fingerprint?: Record<string, unknown>, version: 1 | 2 = 2): Plan => ({
  version,
  dataset: 'movies',
  run_id: 'R1',
  created_at: '2026-01-01T00:00:00.000Z',
  ingest_date: '2026-01-01',
  executors: 2,
  style: 'page',
  partitioning: 'contiguous',
  pages: { first: 1, last: 60 },
  ...(fingerprint ? { fingerprint } : {}),
});

/** The plan as it reads back from plan.json. */
const stored = (p: Plan): Plan => JSON.parse(JSON.stringify(p));

test('the spec it was planned with resumes, with a rotated secret too', () => {
  checkResumeSpec(stored(plan(spec({ end: '60' }).fingerprint)), spec({ end: '60' }, { TOKEN: 'rotated-secret' }));
});

test('a changed spec is one line naming every changed field, old → new, and the way out', () => {
  const planned = stored(plan(spec({ end: '60' }).fingerprint));
  assert.throws(
    () => checkResumeSpec(planned, spec({ formats: 'parquet,ndjson' })),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(
        err.message,
        'spec: run R1 was planned with a different spec (pagination.page.end: 60 → (unset); output.formats: ["parquet"] → ["parquet","ndjson"]); ' +
          'resume it with the spec it was planned with, or start a new run (omit --run-id or pass a new one)',
      );
      return true;
    },
  );
});

test('a plan without a fingerprint (version 1) cannot be resumed', () => {
  assert.throws(
    () => checkResumeSpec(plan(undefined, 1), spec()),
    /^ConfigError: --run-id: run R1 was planned by an older pagefleet \(plan version 1 has no spec fingerprint to check a resume against\); start a new run \(omit --run-id or pass a new one\)$/,
  );
});
