import type { Clock } from '../clock.js';
import { BodyError, PaginationError } from '../errors.js';
import type { Format } from '../format/types.js';
import { HttpError } from '../http/http-error.js';
import { oneLine } from '../http/one-line.js';
import type { AttemptReport, HttpResponse } from '../http/types.js';
import type { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';
import { readLanded, type LandedPage } from '../ledger/commits.js';
import { readLedger } from '../ledger/reader.js';
import type { LedgerEntry } from '../ledger/types.js';
import { CHAIN_SPAN } from '../ledger/types.js';
import { LedgerWriter } from '../ledger/writer.js';
import { extractRecords } from '../pagination/body.js';
import type { ChainPagination, IndexedPagination, PaginationStrategy } from '../pagination/types.js';
import { pageCountOf, pagesOf, slicesOf } from '../plan/partition.js';
import type { Plan } from '../plan/types.js';
import type { JobSpec } from '../spec/types.js';
import { Batcher } from './batcher.js';
import { commitBatch } from './commit.js';
import { SchemaTracker } from './schema-tracker.js';
import { seal, unseal } from './seal.js';
import { newStats, type ExecutorStats } from './stats.js';

export interface PageClient {
  getJson(
    req: { url: string; headers: Record<string, string> },
    opts?: { signal?: AbortSignal; onAttempt?: (r: AttemptReport) => void },
  ): Promise<HttpResponse>;
}

export interface ExecutorContext {
  spec: JobSpec;
  plan: Plan;
  executor: number;
  layout: Layout;
  store: Store;
  client: PageClient;
  strategy: PaginationStrategy;
  redact: (s: string) => string;
  clock: Clock;
  signal: AbortSignal;
  /** Ledger lines are landed at least this often even when no file is cut. */
  ledgerFlushMs?: number;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

export interface ExecutorResult {
  stats: ExecutorStats;
  interrupted: boolean;
}

/** A page's response and when its fetch began (rate-limit waits and retries included in its duration). */
type TimedResponse = HttpResponse & { startedAt: number };

/** What a fetched page carries into the ledger once all its formats have landed. */
interface PendingPage {
  formatsLeft: Set<Format>;
  files: string[];
  entry: Omit<LedgerEntry, 'run_id' | 'dataset' | 'executor' | 'status' | 'files'>;
}

/**
 * Runs executor i of a plan: fetches the pages it owns that have not landed in every format, batches
 * them into files, commits the files and records every attempt in the ledger. Stateless: everything it
 * knows about earlier sessions it reads back from the landing zone.
 */
export class Executor {
  readonly stats: ExecutorStats;
  private readonly ledger: LedgerWriter;
  private readonly schema: SchemaTracker;
  private readonly batchers: Map<Format, Batcher>;
  private readonly landed = new Map<Format, Map<number, LandedPage>>();
  private readonly pending = new Map<number, PendingPage>();
  private commitQueue: Promise<void> = Promise.resolve();
  private commitError: unknown;

  constructor(private readonly ctx: ExecutorContext) {
    this.stats = newStats(ctx.executor, ctx.clock.now());
    this.ledger = new LedgerWriter(ctx.store, ctx.layout, ctx.executor, ctx.redact);
    this.schema = new SchemaTracker(ctx.store, ctx.layout, ctx.executor);
    this.batchers = new Map(
      ctx.spec.output.formats.map((f) => [f, new Batcher(f, ctx.spec.output.fileTargetBytes, () => undefined)]),
    );
  }

  async run(): Promise<ExecutorResult> {
    const { ctx } = this;
    await this.prepare();
    const flushTimer = setInterval(() => void this.ledger.flush().catch(() => {}), ctx.ledgerFlushMs ?? 5_000);
    try {
      if (ctx.strategy.kind === 'indexed') await this.runIndexed(ctx.strategy);
      else await this.runChains(ctx.strategy);
      await this.cutAll();
      await this.commitQueue;
      if (this.commitError) throw this.commitError;
    } finally {
      clearInterval(flushTimer);
      await this.ledger.flush();
    }
    this.stats.maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
    await ctx.store.put(ctx.layout.summary(ctx.executor), JSON.stringify({ ...this.stats, finishedAt: ctx.clock.now() }));
    return { stats: this.stats, interrupted: ctx.signal.aborted };
  }

  /** Reads what earlier sessions landed, drops stale commit records and reconciles the ledger. */
  private async prepare(): Promise<void> {
    const { store, layout, executor } = this.ctx;
    const own = `part-e${String(executor).padStart(3, '0')}-`;
    await store.sweep(layout.ledgerDir(executor), '');
    for (const format of this.batchers.keys()) {
      await store.sweep(layout.dataDir(format), own);
      await store.sweep(layout.commitsDir(format), own);
      await store.put(layout.readyMarker(format), '', { ifAbsent: true });
      const { landed, stale } = await readLanded(store, layout, format, executor);
      for (const key of stale) await store.delete(key);
      this.landed.set(format, landed);
    }
    await this.schema.load();
    const inLedger = new Set<number>();
    for await (const e of readLedger(store, layout, executor)) if (e.status === 'landed') inLedger.add(e.page);
    const everywhere = this.landedEverywhere();
    for (const [page, files] of everywhere) {
      if (inLedger.has(page)) continue;
      this.ledger.record({
        page,
        attempt: 0,
        status: 'landed',
        started_at: new Date(this.ctx.clock.now()).toISOString(),
        duration_ms: 0,
        files,
        warning: 'reconciled: the file landed but its ledger line was lost (crash between file and ledger)',
      });
    }
    this.stats.pagesAlreadyLanded = everywhere.size;
    await this.ledger.flush();
  }

  private landedEverywhere(): Map<number, string[]> {
    const maps = [...this.landed.values()];
    const out = new Map<number, string[]>();
    for (const [page, info] of maps[0]) {
      const files = [info.file];
      for (const other of maps.slice(1)) {
        const o = other.get(page);
        if (!o) break;
        files.push(o.file);
      }
      if (files.length === maps.length) out.set(page, files);
    }
    return out;
  }

  private formatsNeeding(page: number): Format[] {
    return [...this.batchers.keys()].filter((f) => !this.landed.get(f)!.has(page));
  }

  private async runIndexed(strategy: IndexedPagination): Promise<void> {
    const { plan, executor, spec } = this.ctx;
    this.stats.pagesPlanned = pageCountOf(plan, executor);
    const todo = pagesOf(plan, executor);
    const worker = async () => {
      for (;;) {
        if (this.ctx.signal.aborted || this.commitError) return;
        const next = todo.next();
        if (next.done) return;
        const page = next.value;
        const formats = this.formatsNeeding(page);
        if (!formats.length) continue;
        const res = await this.fetch(page, strategy.url(page));
        if (!res) continue;
        const records = this.records(page, res, formats);
        if (!records) continue;
        this.land(page, records.list, res, formats, records.warning ? { warning: records.warning } : {});
        await this.cutFull();
      }
    };
    await Promise.all(Array.from({ length: spec.limits.concurrency }, worker));
  }

  /** Extracts the records of a page and checks them against the plan (short reads are reported). */
  private records(page: number, res: HttpResponse, formats: Format[]): { list: unknown[]; warning?: string } | undefined {
    let list: unknown[];
    try {
      list = extractRecords(res.body, this.ctx.spec.source.records);
    } catch (err) {
      this.fail(page, res.attempts, err instanceof BodyError ? 'BODY' : 'PAGINATION', err, res.status);
      return undefined;
    }
    const { plan } = this.ctx;
    if (!plan.pages || page >= plan.pages.last || plan.page_size === undefined || formats.length === 0) return { list };
    if (list.length === 0) return { list, warning: `empty page ${page} before the announced last page ${plan.pages.last}` };
    if (list.length < plan.page_size) {
      return { list, warning: `short page ${page}: ${list.length} records, expected ${plan.page_size}` };
    }
    return { list };
  }

  private async runChains(strategy: ChainPagination): Promise<void> {
    const { plan, executor, spec } = this.ctx;
    const slices = slicesOf(plan, executor);
    let k = 0;
    const worker = async () => {
      while (k < slices.length && !this.ctx.signal.aborted && !this.commitError) await this.runChain(strategy, slices[k++]);
    };
    await Promise.all(Array.from({ length: Math.min(spec.limits.concurrency, slices.length) }, worker));
  }

  /** Fetches one chain from where earlier sessions left it; a chain is strictly sequential. */
  private async runChain(strategy: ChainPagination, sliceIndex: number): Promise<void> {
    const { plan, spec } = this.ctx;
    const sliceValue = plan.slices!.values[sliceIndex];
    const slice = plan.slices!.param ? { param: plan.slices!.param, value: sliceValue } : undefined;
    const base = sliceIndex * CHAIN_SPAN;
    const resume = this.chainResumePoint(base);
    if (resume.done) return;
    let position = resume.position;
    let url: string | undefined = resume.url ? unseal(resume.url, spec.secrets) : strategy.firstUrl(slice);
    const seen = new Set<string>([url]);
    let emptyStreak = 0;
    while (url && !this.ctx.signal.aborted && !this.commitError) {
      const page = base + position;
      if (position >= spec.limits.maxChainPages || position >= CHAIN_SPAN) {
        this.fail(page, 0, 'PAGINATION', new PaginationError(`chain ${sliceValue || '(no slice)'} passed limits.max_chain_pages (${spec.limits.maxChainPages})`));
        return;
      }
      this.stats.pagesPlanned++;
      const res = await this.fetch(page, url, sliceValue);
      if (!res) return;
      const formats = this.formatsNeeding(page);
      const records = this.records(page, res, formats);
      if (!records) return;
      let next: string | undefined;
      try {
        next = strategy.nextUrl(res, url);
      } catch (err) {
        this.fail(page, res.attempts, 'PAGINATION', err, res.status);
        return;
      }
      emptyStreak = records.list.length === 0 ? emptyStreak + 1 : 0;
      const loop = next !== undefined && seen.has(next);
      this.land(page, records.list, res, formats, { slice: sliceValue, cursor: url }, next ? seal(next, spec.secrets) : null);
      await this.cutFull();
      if (loop) {
        this.fail(page + 1, 0, 'PAGINATION', new PaginationError(`the API repeated a cursor/next link after page ${position} of chain ${sliceValue || '(no slice)'}: ${next}`));
        return;
      }
      if (emptyStreak >= 3 && next) {
        this.fail(page + 1, 0, 'PAGINATION', new PaginationError(`${emptyStreak} empty pages in a row that still name a next page (chain ${sliceValue || '(no slice)'})`));
        return;
      }
      if (next) seen.add(next);
      url = next;
      position++;
    }
  }

  /** Where a chain goes on: after the longest prefix of positions landed in every format. */
  private chainResumePoint(base: number): { done: boolean; position: number; url?: string } {
    let position = 0;
    let next: string | null | undefined;
    for (;;) {
      const infos = [...this.landed.values()].map((m) => m.get(base + position));
      if (infos.some((i) => !i)) break;
      next = infos[0]!.next;
      position++;
      if (next === null || next === undefined) return { done: true, position };
    }
    return { done: false, position, url: position === 0 ? undefined : (next ?? undefined) };
  }

  /** One page fetch with every attempt recorded. Undefined when it failed (recorded) or was aborted. */
  private async fetch(page: number, url: string, slice?: string): Promise<TimedResponse | undefined> {
    const { ctx } = this;
    const chain = slice === undefined ? {} : { slice, cursor: url };
    const startedAt = ctx.clock.now();
    try {
      const res = await ctx.client.getJson(
        { url, headers: ctx.spec.source.headers },
        {
          signal: ctx.signal,
          onAttempt: (r) => {
            if (r.status !== 'retrying') return;
            this.stats.retries++;
            this.ledger.record({
              page,
              ...chain,
              attempt: r.attempt,
              status: 'retrying',
              http_status: r.httpStatus,
              error_class: r.errorClass,
              error: r.error,
              started_at: new Date(r.startedAt).toISOString(),
              duration_ms: Math.round(r.durationMs),
            });
          },
        },
      );
      return { ...res, startedAt };
    } catch (err) {
      if (ctx.signal.aborted) return undefined;
      const h = err instanceof HttpError ? err : undefined;
      this.fail(page, h?.attempts ?? 1, h?.errorClass ?? 'TRANSIENT', err, h?.statusCode, chain);
      return undefined;
    }
  }

  private fail(
    page: number,
    attempt: number,
    errorClass: NonNullable<LedgerEntry['error_class']>,
    err: unknown,
    httpStatus?: number,
    chain: { slice?: string; cursor?: string } = {},
  ): void {
    this.stats.pagesFailed++;
    this.ledger.record({
      page,
      ...chain,
      attempt,
      status: 'failed',
      http_status: httpStatus,
      error_class: errorClass,
      error: oneLine(err, this.ctx.redact),
      started_at: new Date(this.ctx.clock.now()).toISOString(),
      duration_ms: 0,
    });
    this.ctx.log?.('page_failed', { page, error_class: errorClass, error: oneLine(err, this.ctx.redact) });
  }

  private land(
    page: number,
    records: unknown[],
    res: TimedResponse,
    formats: Format[],
    extra: { slice?: string; cursor?: string; warning?: string },
    next?: string | null,
  ): void {
    const fetchedAt = new Date(this.ctx.clock.now());
    const position = page % CHAIN_SPAN;
    const prov = { runId: this.ctx.plan.run_id, page: this.ctx.strategy.kind === 'chain' ? position : page, fetchedAt };
    for (const f of formats) this.batchers.get(f)!.add(page, records, prov, next);
    if (extra.warning) this.stats.warnings++;
    this.pending.set(page, {
      formatsLeft: new Set(formats),
      files: [],
      entry: {
        page,
        ...extra,
        attempt: res.attempts,
        http_status: res.status,
        records: records.length,
        bytes: res.bytes,
        started_at: new Date(res.startedAt).toISOString(),
        duration_ms: Math.round(fetchedAt.getTime() - res.startedAt),
      },
    });
  }

  private async cutFull(): Promise<void> {
    for (const b of this.batchers.values()) if (b.full) this.enqueueCommit(b);
    await this.commitQueue;
  }

  private async cutAll(): Promise<void> {
    for (const b of this.batchers.values()) this.enqueueCommit(b);
    await this.commitQueue;
  }

  /** Commits are serialised: at most one file is being written while the next one fills. */
  private enqueueCommit(batcher: Batcher): void {
    const batch = batcher.cut();
    if (!batch) return;
    const { store, layout, executor } = this.ctx;
    this.commitQueue = this.commitQueue.then(async () => {
      if (this.commitError) return;
      try {
        const done = await commitBatch(store, layout, executor, batch);
        this.stats.files++;
        this.stats.bytes += done.bytes;
        await this.schema.observe(done.schema);
        for (const page of done.pages) this.pageCommitted(page, batch.format, done.key);
        await this.ledger.flush();
      } catch (err) {
        this.commitError = err;
        for (const page of batch.pages) this.fail(page, 0, 'WRITE', err);
        await this.ledger.flush().catch(() => {});
      }
    });
  }

  private pageCommitted(page: number, format: Format, key: string): void {
    const p = this.pending.get(page);
    if (!p) return;
    p.files.push(key);
    p.formatsLeft.delete(format);
    if (p.formatsLeft.size) return;
    this.pending.delete(page);
    this.stats.pagesLanded++;
    this.stats.records += p.entry.records ?? 0;
    this.ledger.record({ ...p.entry, status: 'landed', files: p.files });
  }
}
