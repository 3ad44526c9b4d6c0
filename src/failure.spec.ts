import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, exitCodeFor, PagefleetError, UnavailableError, WriteError } from './errors.js';
import { EXIT_CODES, FAILURES, failureGroup, failureName, failureOfLedgerName, type Failure } from './failure.js';
import { classifyError, classifyStatus } from './http/classify.js';
import { FsStore } from './landing/fs-store.js';
import { Layout } from './landing/layout.js';
import { readLedger } from './ledger/reader.js';
import { failureRows } from './report/aggregate.js';

const failures = Object.keys(FAILURES) as Failure[];

describe('the failure table', () => {
  it('gives every failure its own ledger name', () => {
    const names = failures.map((f) => FAILURES[f].ledger);
    assert.equal(new Set(names).size, failures.length);
    for (const f of failures) assert.equal(failureOfLedgerName(FAILURES[f].ledger), f);
  });

  it('is what an error carries: its code and its exit code', () => {
    assert.equal(exitCodeFor(new ConfigError('limits.rate', 'expected a number')), EXIT_CODES.badInput);
    assert.equal(exitCodeFor(new UnavailableError('output.root: gone')), EXIT_CODES.unavailable);
    assert.equal(exitCodeFor(new WriteError('disk full')), EXIT_CODES.failedPages);
    assert.equal(exitCodeFor(new Error('a raw Node error')), EXIT_CODES.failedPages);
    for (const f of failures) {
      const err = new PagefleetError(f, 'x');
      assert.equal(err.code, FAILURES[f].code);
      assert.equal(exitCodeFor(err), FAILURES[f].exitCode);
    }
  });

  it('decides the HTTP client retries: a failure is retried exactly when the table says so', () => {
    const decisions = [
      ...[200, 301, 400, 404, 408, 429, 500, 501, 502, 503, 505, 599, 600].map((s) => classifyStatus(s)),
      classifyStatus(503, true),
      ...['PF_BODY_NOT_JSON', 'PF_BODY_TOO_LARGE', 'ECONNRESET', 'UND_ERR_BODY_TIMEOUT', 'ENOTFOUND'].map((code) =>
        classifyError(Object.assign(new Error(code), { code })),
      ),
    ];
    for (const d of decisions) {
      if (d.action === 'success') continue;
      assert.ok(d.errorClass, d.reason);
      assert.equal(d.action !== 'fail', FAILURES[d.errorClass].retryable, `${d.reason}: ${d.errorClass}`);
      assert.equal(d.action === 'rateLimited', d.errorClass === 'THROTTLING', d.reason);
    }
  });
});

describe('ledgers written by older versions', () => {
  // lines as pagefleet wrote them before the table existed (error_class was ErrorClass | PAGINATION | WRITE | BODY)
  const old = [
    { page: 1, attempt: 1, status: 'retrying', http_status: 200, error_class: 'BAD_BODY', error: 'PF_ERR_RETRY_EXHAUSTED: not JSON' },
    { page: 1, attempt: 7, status: 'failed', http_status: 200, error_class: 'BAD_BODY', error: 'GET /x failed after 7 attempts [BAD_BODY]' },
    { page: 2, attempt: 1, status: 'failed', http_status: 200, error_class: 'BODY', error: 'source.records: expected a list of records' },
    { page: 3, attempt: 0, status: 'failed', error_class: 'PAGINATION', error: 'the API repeated a cursor' },
    { page: 4, attempt: 0, status: 'failed', error_class: 'WRITE', error: 'cannot write movies/a.parquet' },
    { page: 5, attempt: 1, status: 'failed', http_status: 501, error_class: 'SERVER_ERROR', error: 'HTTP 501: not implemented (501)' },
    { page: 6, attempt: 1, status: 'failed', error_class: 'FROM_THE_FUTURE', error: 'a class this version does not know' },
  ].map((e) => ({ run_id: 'r1', dataset: 'movies', executor: 0, started_at: '2026-01-01T00:00:00.000Z', duration_ms: 1, ...e }));

  it('are read from a folder landing zone: each error_class names its failure, and status and report group them as written', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pf-old-ledger-'));
    try {
      const layout = new Layout('movies', 'r1', '2026-01-01');
      const dir = join(root, layout.ledgerDir(0));
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, '20260101T000000Z-aaaaaa-000000.jsonl'), old.map((e) => JSON.stringify(e)).join('\n') + '\n');
      const lines = [];
      for await (const e of readLedger(new FsStore(root), layout)) lines.push(e);
      assert.equal(lines.length, old.length);

      assert.deepEqual(
        lines.map((e) => failureOfLedgerName(e.error_class)),
        ['BAD_BODY', 'BAD_BODY', 'RECORDS', 'PAGINATION', 'WRITE', 'SERVER_ERROR', undefined],
      );
      const failed = lines.filter((e) => e.status === 'failed');
      assert.deepEqual(
        failed.map((e) => failureGroup(e.error_class, e.http_status)),
        ['BAD_BODY 200', 'BODY 200', 'PAGINATION', 'WRITE', 'SERVER_ERROR 501', 'FROM_THE_FUTURE'],
      );
      const rows = failureRows(lines, Object.fromEntries(failed.map((e) => [failureGroup(e.error_class, e.http_status), 1])));
      assert.deepEqual(rows.find((r) => r.errorClass === 'BAD_BODY'), {
        errorClass: 'BAD_BODY', httpStatus: 200, retries: 1, failedPages: 1, example: 'GET /x failed after 7 attempts [BAD_BODY]',
      });
      assert.deepEqual(rows.map((r) => r.errorClass).sort(), ['BAD_BODY', 'BODY', 'FROM_THE_FUTURE', 'PAGINATION', 'SERVER_ERROR', 'WRITE']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('a line without error_class groups as UNKNOWN', () => {
    assert.equal(failureName(undefined), 'UNKNOWN');
    assert.equal(failureGroup(undefined, 503), 'UNKNOWN 503');
  });
});
