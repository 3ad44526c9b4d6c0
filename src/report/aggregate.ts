import { failureGroup, failureName } from '../failure.js';
import { CHAIN_SPAN, type LedgerEntry } from '../ledger/types.js';
import { bucketWidth, cumulativePerBucket, ratePerBucket } from './buckets.js';
import { outcomeLine } from './outcome.js';
import type { ExecutorRow, FailureRow, LatencyBin, ReportData, ReportInput, Series, SlowPage } from './types.js';

/** Upper edges of the latency histogram's bins (ms); the last bin holds everything slower. */
const LATENCY_EDGES_MS = [10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000];

/** Rows of the slowest-pages table. */
const SLOWEST = 10;

/** Turns what the landing zone holds into what the report shows. Pure: same input, same output. */
export function buildReportData(input: ReportInput, generatedAt: Date): ReportData {
  const { plan, status, ledger } = input;
  const { t0, span } = timeSpan(input);
  const width = bucketWidth(span);
  const rel = (iso: string) => (Date.parse(iso) - t0) / 1000;
  const finished = (e: LedgerEntry) => rel(e.started_at) + e.duration_ms / 1000;
  const landed = ledger.filter((e) => e.status === 'landed');

  const pagesPerSecond: Series[] = status.executors.map((x) => ({
    name: `executor ${x.executor}`,
    points: ratePerBucket(landed.filter((e) => e.executor === x.executor).map(finished), width, span),
  }));
  const formats = [...new Set(input.commits.map((c) => c.format))].sort();
  const byFormat = (f: string) => input.commits.filter((c) => c.format === f);
  const durations = ledger.map((e) => e.duration_ms);

  return {
    runId: plan.run_id,
    dataset: plan.dataset,
    style: plan.style,
    sourceUrl: input.sourceUrl,
    landing: input.landing,
    startedAt: new Date(t0).toISOString(),
    spanSeconds: span,
    generatedAt: generatedAt.toISOString(),
    complete: status.complete,
    outcome: outcomeLine(status),
    totals: status.totals,
    records: status.records,
    problems: status.problems,
    notes: status.notes,
    bucketSeconds: width,
    pagesPerSecond,
    requestsPerSecond: { name: 'requests/s', points: ratePerBucket(ledger.map((e) => rel(e.started_at)), width, span) },
    rateLimit: input.rateLimit,
    filesLanded: formats.map((f) => ({
      name: f,
      points: cumulativePerBucket(byFormat(f).map((c) => rel(c.at)), byFormat(f).map(() => 1), width, span),
    })),
    bytesLanded: formats.map((f) => ({
      name: f,
      points: cumulativePerBucket(byFormat(f).map((c) => rel(c.at)), byFormat(f).map((c) => c.bytes), width, span),
    })),
    latency: latencyHistogram(durations),
    latencyQuantiles: quantiles(durations),
    attempts: ledger.length,
    failures: failureRows(ledger, status.failures),
    slowest: slowestPages(landed),
    executors: executorRows(input, landed, rel),
  };
}

/** The run's first event (ms since the epoch) and the seconds from it to the last one (at least 1). */
export function timeSpan(input: Pick<ReportInput, 'ledger' | 'sessions' | 'commits' | 'plan'>): { t0: number; span: number } {
  const starts = [
    ...input.sessions.map((s) => Date.parse(s.started_at)),
    ...input.ledger.map((e) => Date.parse(e.started_at)),
  ].filter(Number.isFinite);
  const ends = [
    ...input.sessions.map((s) => Date.parse(s.ended_at ?? s.beat_at)),
    ...input.ledger.map((e) => Date.parse(e.started_at) + e.duration_ms),
    ...input.commits.map((c) => Date.parse(c.at)),
  ].filter(Number.isFinite);
  // a loop, not Math.min(...xs): a ledger of a million lines would overflow the call stack
  const t0 = starts.length ? starts.reduce((a, b) => Math.min(a, b)) : Date.parse(input.plan.created_at);
  const end = ends.reduce((a, b) => Math.max(a, b), t0);
  return { t0, span: Math.max(1, (end - t0) / 1000) };
}

export function latencyHistogram(durationsMs: number[]): LatencyBin[] {
  const edges = [...LATENCY_EDGES_MS, Infinity];
  const bins: LatencyBin[] = edges.map((upToMs, i) => ({
    upToMs,
    label: upToMs === Infinity ? `> ${duration(edges[i - 1])}` : `≤ ${duration(upToMs)}`,
    count: 0,
  }));
  for (const d of durationsMs) bins[edges.findIndex((e) => d <= e)].count++;
  return bins;
}

export function quantiles(values: number[]): { p50: number; p90: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : 0);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1] : 0 };
}

/**
 * Retries and failures by error class and HTTP status. Failed pages are status's `failures` (the last
 * attempt of each page that has not landed); retries are the ledger's `retrying` attempts. The example is
 * the latest failed attempt of that kind, else the latest retried one.
 */
export function failureRows(ledger: LedgerEntry[], failedPages: Record<string, number>): FailureRow[] {
  const rows = new Map<string, FailureRow & { exampleFailed: boolean }>();
  const row = (e: Pick<LedgerEntry, 'error_class' | 'http_status'>) => {
    const key = failureGroup(e.error_class, e.http_status);
    let r = rows.get(key);
    if (!r) {
      r = { errorClass: failureName(e.error_class), httpStatus: e.http_status, retries: 0, failedPages: failedPages[key] ?? 0, example: '', exampleFailed: false };
      rows.set(key, r);
    }
    return r;
  };
  for (const e of ledger) {
    if (e.status === 'landed') continue;
    const r = row(e);
    if (e.status === 'retrying') r.retries++;
    if (e.status === 'failed' || !r.exampleFailed) {
      r.example = e.error ?? '';
      r.exampleFailed = e.status === 'failed';
    }
  }
  for (const [key, n] of Object.entries(failedPages)) {
    if (rows.has(key)) continue;
    const [cls, code] = key.split(' ');
    rows.set(key, { errorClass: cls, httpStatus: code ? Number(code) : undefined, retries: 0, failedPages: n, example: '', exampleFailed: false });
  }
  return [...rows.values()]
    .map(({ exampleFailed: _, ...r }) => r)
    .sort((a, b) => b.failedPages - a.failedPages || b.retries - a.retries || a.errorClass.localeCompare(b.errorClass));
}

/** The pages whose landed attempt took longest (a page landed twice counts once, with its slower attempt). */
export function slowestPages(landed: LedgerEntry[]): SlowPage[] {
  const slowest = new Map<number, LedgerEntry>();
  for (const e of landed) if ((slowest.get(e.page)?.duration_ms ?? -1) < e.duration_ms) slowest.set(e.page, e);
  return [...slowest.values()]
    .sort((a, b) => b.duration_ms - a.duration_ms || a.page - b.page)
    .slice(0, SLOWEST)
    // within a slice, the page id is slice × CHAIN_SPAN + page: show the page the API knows, beside its slice
    .map((e) => ({ page: e.slice === undefined ? e.page : e.page % CHAIN_SPAN, slice: e.slice, executor: e.executor, durationMs: e.duration_ms, attempt: e.attempt, httpStatus: e.http_status, records: e.records }));
}

function executorRows(input: ReportInput, landed: LedgerEntry[], rel: (iso: string) => number): ExecutorRow[] {
  return input.status.executors.map((x) => ({
    executor: x.executor,
    planned: x.planned,
    landed: x.landed,
    failed: x.failed,
    missing: x.missing,
    taken: x.taken,
    fetched: landed.filter((e) => e.executor === x.executor).length,
    sessions: x.sessions.map((s) => ({ session: s.session, host: s.host, pid: s.pid, from: rel(s.started_at), to: rel(s.last_seen), ended: s.ended })),
  }));
}

/** 2500 → "2.5 s", 250 → "250 ms". */
export function duration(ms: number): string {
  if (ms >= 60_000) return `${+(ms / 60_000).toFixed(1)} min`;
  return ms >= 1_000 ? `${+(ms / 1_000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
