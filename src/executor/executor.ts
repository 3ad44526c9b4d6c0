import { createHash } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Clock } from '../clock.js';
import { failureOf, PaginationError } from '../errors.js';
import { FAILURES, type Failure } from '../failure.js';
import { FILE_EXTENSION } from '../format/constants.js';
import { loadFileBuilders, type CreateFileBuilder } from '../format/create-file-builder.js';
import { recordTexts, type RecordTexts } from '../format/record-texts.js';
import { inferSchema } from '../format/schema.js';
import type { Format } from '../format/types.js';
import { HttpError } from '../http/http-error.js';
import { describeError, oneLine } from '../http/one-line.js';
import { seal, unseal } from '../http/seal.js';
import type { AttemptReport, HttpResponse } from '../http/types.js';
import { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';
import { holderOf, readBlockLogs, shapeOf, type BlockEntry, type CommitEntry, type PagesEntry, type SplitEntry } from '../ledger/block-log.js';
import { chainProgress, formatsNeeding, indexRun, landedEverywhere, reindexBlock, type RunIndex } from '../ledger/landed-index.js';
import { readLedger } from '../ledger/reader.js';
import { Heartbeat, LivenessJudge, newSessionId, type SharedRecordReads } from '../ledger/sessions.js';
import type { LedgerEntry } from '../ledger/types.js';
import { listMarkers, markerFindings, writeMarker } from '../ledger/markers.js';
import { LedgerWriter } from '../ledger/writer.js';
import { extractRecords } from '../pagination/body.js';
import type { ChainPagination, IndexedPagination, PaginationStrategy, SliceParams } from '../pagination/types.js';
import { blockCount, blocksOf, CHAIN_SPAN, homeOf, othersBlocks, pageCountOf, pagesOfBlock, sliceLabelOf, sliceParamsOf } from '../plan/partition.js';
import type { Plan } from '../plan/types.js';
import { childBlocks, daysIn, windowOf } from '../plan/windows.js';
import type { JobSpec } from '../spec/types.js';
import { Batcher, type Batch, type ChainLink } from './batcher.js';
import { BlockClaims } from './claims.js';
import { finishBatch } from './commit.js';
import { rateShareFor, type RateShare, type ShareNudges, type ShareTarget } from './rate-share.js';
import { DatasetSchema } from './dataset-schema.js';
import { pullWorkers } from './pull-workers.js';
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
  /** This executor's index, 0..executors-1: the partition it is home to. */
  index: number;
  layout: Layout;
  store: Store;
  client: PageClient;
  strategy: PaginationStrategy;
  redact: (s: string) => string;
  /** Whether a text holds a secret of the spec (absent when the spec has none). */
  echoes?: (text: string) => boolean;
  clock: Clock;
  signal: AbortSignal;
  /** Ledger lines are landed at least this often even when no file is cut. */
  ledgerFlushMs?: number;
  /** How long a silent session keeps its claims (sessions.ts). */
  leaseMs?: number;
  /** False: only this executor's own partition (default true: also others' unstarted or abandoned blocks). */
  takeOthers?: boolean;
  /** Session records read by the other executors of this process, shared for a moment (sessions.ts). */
  sharedRecords?: SharedRecordReads;
  /** The run's other executors start at the same moment (a local run's children): see RateShareOptions. */
  startedTogether?: boolean;
  /** The rate shares of the other executors of this process (rate-share.ts ShareNudges). */
  shareNudges?: ShareNudges;
  /** The client's governor: given, the session paces itself by the rate slots it holds (rate-share.ts). */
  governor?: ShareTarget;
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

/** A block this session holds: its open files, and how many of its pages are still being fetched. */
interface BlockWork {
  block: number;
  batchers: Map<Format, Batcher>;
  inFlight: number;
  /** Every page of the block has been handed to a worker (or the chain ended). */
  dispatched: boolean;
  /** Another session took the block over: nothing more of it is committed by this one. */
  lost: boolean;
}

/** A page handed to a worker. */
interface PageTask {
  work: BlockWork;
  page: number;
  formats: Format[];
  url: string;
  /** The slice's name, for the ledger. */
  slice?: string;
}

/** Batches waiting to be committed before fetching pauses (per format): memory stays bounded. */
const MAX_QUEUED_BATCHES_PER_FORMAT = 2;
/**
 * The first pause before looking again at blocks other live sessions hold; it doubles up to
 * MAX_WAIT_FOR_OTHERS_MS (ms). At the end of a run every executor but the last waits so, and the run ends
 * when the last waiter looks: 200 cost a 4 s, 2-executor run ~0.1-0.2 s.
 */
const FIRST_WAIT_FOR_OTHERS_MS = 50;
/**
 * The longest pause between two such looks (ms; a quarter lease if that is shorter), in runs of at most
 * EXECUTORS_PER_MAX_WAIT executors. Doubling up to a quarter lease, a waiter that had waited 3 s looked
 * 1.6 s apart, and left ~1 s after the blocks it waited for were done (the late-kill case: 112% of
 * pages/rate). A look re-reads only the blocks waited for.
 */
const MAX_WAIT_FOR_OTHERS_MS = 500;
/**
 * In runs of at most FEW_EXECUTORS executors, a waiter keeps looking every FIRST_WAIT_FOR_OTHERS_MS for its
 * first FAST_LOOKS looks (half a second) before it backs off: at the end of a 2-executor run the holder
 * committed its last block ~50 ms into the wait and the waiter, which had doubled to 100, left ~70 ms after
 * it (2% of a 3 s run). With more executors the looks of all waiters would cost more than the wait.
 */
const FEW_EXECUTORS = 8;
const FAST_LOOKS = 10;

/**
 * Executors per MAX_WAIT_FOR_OTHERS_MS of the longest pause: with more, it grows (64 executors: 2 s), so the
 * looks of all waiters together stay about as many per second. At the end of a 64-executor run ~60 waiters
 * looking every 500 ms made ~10,000 block listings and ~12,000 lookups of files by name, on the CPU that
 * the few sessions still fetching needed (their requests took 1.3 s each). A waiter only leaves later.
 */
const EXECUTORS_PER_MAX_WAIT = 16;

/** The pause before look number `waitsSoFar` at blocks others hold (ms). */
export function waitForOthersMs(waitsSoFar: number, executors: number, leaseMs: number): number {
  const doublings = executors <= FEW_EXECUTORS ? Math.max(0, waitsSoFar - FAST_LOOKS + 1) : waitsSoFar;
  const longest = MAX_WAIT_FOR_OTHERS_MS * Math.max(1, Math.ceil(executors / EXECUTORS_PER_MAX_WAIT));
  return Math.min(leaseMs / 4, longest, FIRST_WAIT_FOR_OTHERS_MS * 2 ** doublings);
}
/**
 * How often a session that waits for others' blocks checks whether its own last pages have come back, to give
 * its rate slots up (ms): its share is unused meanwhile, and at 50 ms a poll cost 25 ms of it on average.
 */
const DRAIN_POLL_MS = 10;

/**
 * Runs one session of executor i: claims the blocks of its partition (block-log.ts), fetches the pages of
 * each that have not landed in every format, batches them into files (one block per file), commits each
 * file through the block log and records every attempt in the ledger. Stateless: everything it knows about
 * earlier or concurrent sessions it reads from the landing zone. A block held by another live session (a
 * second copy of this executor) is left to it and waited for; one whose session is gone is taken over.
 */
export class Executor {
  readonly stats: ExecutorStats;
  private readonly session: string;
  private readonly ledger: LedgerWriter;
  private readonly schema: DatasetSchema;
  private readonly heartbeat: Heartbeat;
  private readonly judge: LivenessJudge;
  private readonly formats: Format[];
  /** Set by prepare(): the file builders of this job's formats (Parquet's encoder is loaded only if needed). */
  private newBuilder!: CreateFileBuilder;
  private claims!: BlockClaims;
  private index!: RunIndex;
  /** The block logs the index was built from (rebuildIndex). */
  private indexedLogs = new Map<number, readonly BlockEntry[]>();
  private files = new Map<Format, Map<string, number>>();
  /** Landed markers known to exist (listed, or written by this session). */
  private markers = new Set<string>();
  private readonly pending = new Map<number, PendingPage>();
  private readonly working = new Map<number, BlockWork>();
  private commitQueue: Promise<void> = Promise.resolve();
  private queuedBatches = 0;
  private fileSeq = 0;
  private lastRequestAt: number | undefined;
  private commitError: unknown;
  /** This session's part of the job's rate (rate-share.ts); idle while it waits for others' blocks. */
  private rateShare: RateShare | undefined;

  constructor(private readonly ctx: ExecutorContext) {
    this.stats = newStats(ctx.index, ctx.clock.now());
    this.session = newSessionId(ctx.index);
    this.formats = ctx.spec.output.formats;
    this.ledger = new LedgerWriter(ctx.store, ctx.layout, ctx.index, ctx.redact, { clock: ctx.clock });
    this.schema = new DatasetSchema(ctx.store, ctx.layout);
    this.heartbeat = new Heartbeat(ctx.store, ctx.layout, ctx.clock, this.session, ctx.index, ctx.leaseMs);
    this.judge = new LivenessJudge(ctx.store, ctx.layout, ctx.clock, undefined, ctx.sharedRecords);
  }

  async run(): Promise<ExecutorResult> {
    const { ctx } = this;
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    // with rate slots, the session says it wants none while it prepares: the others keep the whole rate
    await this.heartbeat.start({ rateIdle: ctx.governor !== undefined });
    const rateShare = (this.rateShare = rateShareFor(ctx, this.session, this.judge, this.heartbeat.leaseMs, (idle) => this.heartbeat.setRateIdle(idle)));
    const flushTimer = setInterval(() => void this.ledger.flush().catch(() => {}), ctx.ledgerFlushMs ?? 5_000);
    const { maxFileAgeMs } = ctx.spec.output;
    const ageTimer = setInterval(() => this.cutOld(), Math.max(100, Math.min(1_000, maxFileAgeMs / 4)));
    try {
      await this.prepare();
      await rateShare?.start(); // ready to fetch: it joins the rate share now
      if (ctx.strategy.kind === 'chain') await this.runChains(ctx.strategy);
      else if (ctx.plan.slices) await this.runPages(this.sliceTasks(ctx.strategy));
      else {
        this.stats.pagesPlanned = pageCountOf(ctx.plan, ctx.index);
        await this.runPages(this.indexedTasks(ctx.strategy));
      }
      await rateShare?.end({ release: !ctx.signal.aborted }); // fetching is done: the others take this session's rate now
      for (const work of this.working.values()) this.cutAll(work);
      await this.commitQueue;
      if (this.commitError) throw this.commitError;
    } finally {
      clearInterval(flushTimer);
      clearInterval(ageTimer);
      await rateShare?.end({ release: !ctx.signal.aborted });
      if (rateShare) Object.assign(this.stats, rateShare.stats);
      const ledgerError = await this.ledger.flush().then(() => undefined, (err: unknown) => err);
      this.stats.maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
      loopDelay.disable();
      this.stats.maxEventLoopBlockMs = Math.round(loopDelay.max / 1e6);
      // redacted here, the edge of the session record (the heartbeat writes what it is given)
      await this.heartbeat.end({ ...this.stats, ...(ledgerError ? { error: `WRITE: ${oneLine(ledgerError, ctx.redact)}` } : {}) }).catch(() => {});
      // landed pages whose ledger lines are lost are reconciled by the next session (prepare)
      if (ledgerError) throw ledgerError;
    }
    return { stats: this.stats, interrupted: ctx.signal.aborted };
  }

  /** Reads what earlier sessions landed, removes what gone sessions left half-done, reconciles the ledger. */
  private async prepare(): Promise<void> {
    this.newBuilder = await loadFileBuilders(this.formats);
    const { store, layout, index: executor } = this.ctx;
    await store.sweep(layout.ledgerDir(executor), '');
    for (const format of this.formats) await store.put(layout.readyMarker(format), '', { ifAbsent: true });
    // the data files are listed BEFORE the logs are read: a file is visible only after its commit entry,
    // so a listed file that no entry names really is uncommitted (and safe to remove if its session is gone)
    this.files = await this.listDataFiles();
    const logs = await readBlockLogs(store, layout);
    this.claims = new BlockClaims(store, layout, this.ctx.clock, this.judge, this.session, executor, logs, blockCount(this.ctx.plan));
    this.rebuildIndex();
    await this.removeLeftoversOfGoneSessions();
    // a crash between a file and its landed marker: readers would never see the file
    this.markers = await listMarkers(store, layout, this.formats);
    for (const c of markerFindings(layout, this.index, this.markers).missing) await this.announce(c.block, c);
    await this.schema.load();
    const inLedger = new Set<number>();
    for await (const e of readLedger(store, layout, executor)) if (e.status === 'landed') inLedger.add(e.page);
    for (const commit of this.index.commits) {
      if (commit.executor !== executor || commit.format !== this.formats[0]) continue;
      for (const page of commit.pages) {
        const files = landedEverywhere(this.index, page);
        if (!files || inLedger.has(page)) continue;
        inLedger.add(page);
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
    }
    this.stats.pagesAlreadyLanded = this.homePagesLanded();
    await this.ledger.flush();
  }

  private async listDataFiles(): Promise<Map<Format, Map<string, number>>> {
    const { store, layout } = this.ctx;
    return new Map(await Promise.all(this.formats.map(async (f) => [f, await store.listSizes(layout.dataDir(f))] as const)));
  }

  /** Rebuilds the landed index from this session's view of the block logs and a fresh listing of the data files. */
  private async reindex(): Promise<void> {
    this.files = await this.listDataFiles();
    this.rebuildIndex();
    this.markers = await listMarkers(this.ctx.store, this.ctx.layout, this.formats);
  }

  /** Builds the landed index from this session's block logs and file listing, and remembers which logs it read. */
  private rebuildIndex(): void {
    this.index = indexRun(this.formats, this.claims.logs, this.files);
    this.indexedLogs = new Map(this.claims.logs);
  }

  /**
   * Brings what `isDone(b)`, `announced(b)` and `exists` know about one block up to date: the files its log
   * commits and their landed markers, each looked up by name. Enough when another session appended to the
   * block or its holder is gone, since only that block's files matter; a full `reindex` there cost a listing
   * of every data file per block and holder, and 64 executors then spent minutes in stat after their last
   * request (bench/RESULTS.md, "Scale": the 64-executor case).
   */
  private async refreshBlock(b: number): Promise<void> {
    const found = await this.lookUpCommitted(b);
    this.reindexIfMoved(b, found);
  }

  /** Re-indexes block `b` alone when its log moved since it was indexed (logs are replaced, never changed in place) or a file of it turned up. */
  private reindexIfMoved(b: number, fileFound: boolean): void {
    const log = this.claims.logs.get(b);
    if (!fileFound && this.indexedLogs.get(b) === log) return;
    reindexBlock(this.index, b, log ?? [], this.files);
    if (log) this.indexedLogs.set(b, log);
  }

  /** Looks up, by name, the files block `b`'s log commits and their landed markers not yet seen; true when a file turned up. */
  private async lookUpCommitted(b: number): Promise<boolean> {
    const { store, layout } = this.ctx;
    let found = false;
    for (const e of this.claims.logs.get(b) ?? []) {
      if (e.kind !== 'commit' || !this.files.has(e.format)) continue;
      if (!this.exists(e.file)) {
        const size = await store.size(e.file);
        if (size === undefined) continue;
        this.files.get(e.format)!.set(e.file, size);
        found = true;
      }
      const marker = layout.landedMarker(e.format, e.file);
      if (!this.markers.has(marker) && (await store.size(marker)) !== undefined) this.markers.add(marker);
    }
    return found;
  }

  /** Writes a commit's landed marker (create-once) and remembers it. */
  private async announce(block: number, c: CommitEntry): Promise<void> {
    await writeMarker(this.ctx.store, this.ctx.layout, block, c);
    this.markers.add(this.ctx.layout.landedMarker(c.format, c.file));
  }

  /**
   * A block is finished only when its files are announced too: one left without its landed marker (a
   * session that died between the two) must be taken over, so the taker writes the marker.
   */
  private announced(b: number): boolean {
    return this.index.commits.every((c) => c.block !== b || this.markers.has(this.ctx.layout.landedMarker(c.format, c.file)));
  }

  /**
   * Temp files, unfinished uploads and uncommitted data files of sessions that provably ended or died
   * (never of a live one, which may be about to commit them).
   */
  private async removeLeftoversOfGoneSessions(): Promise<void> {
    const { store, layout } = this.ctx;
    const gone = new Set(await this.judge.goneNow(this.session));
    for (const session of gone) for (const f of this.formats) await store.sweep(layout.dataDir(f), Layout.filePrefix(session));
    for (const orphan of this.index.orphans) {
      const session = Layout.sessionOfFile(orphan);
      if (session && gone.has(session)) await store.delete(orphan);
    }
  }

  /** Whether a data file was in the store at the last listing (or written by this session since). */
  private readonly exists = (file: string): boolean => this.formats.some((f) => this.files.get(f)!.has(file));

  private homePagesLanded(): number {
    const { plan, index: executor } = this.ctx;
    if (!plan.pages) return 0;
    let n = 0;
    for (const b of blocksOf(plan, executor)) for (const p of pagesOfBlock(plan, b)) if (landedEverywhere(this.index, p)) n++;
    return n;
  }

  private get stopping(): boolean {
    return this.ctx.signal.aborted || this.commitError !== undefined || this.ledger.failed !== undefined;
  }

  // ---- indexed styles: blocks of pages, fetched by `concurrency` workers in page order ----

  /** Fetches the pages `tasks` hands out with `concurrency` workers, in the order given. */
  private async runPages(tasks: AsyncGenerator<PageTask>): Promise<void> {
    await pullWorkers(tasks, this.ctx.spec.limits.concurrency, async ({ work, page, formats, url, slice }) => {
      if (!work.lost && !this.stopping) {
        const res = await this.fetch(page, url, slice);
        const records = res && this.records(page, res, formats);
        const where = slice === undefined ? {} : { slice, cursor: url };
        if (res && records) this.land(work, page, records.list, res, formats, { ...where, ...(records.warning ? { warning: records.warning } : {}) });
      }
      work.inFlight--;
      await this.afterPage(work);
    });
  }

  /** Hands out the pages still needed, block by block, as blocks are claimed. */
  private async *indexedTasks(strategy: IndexedPagination): AsyncGenerator<PageTask> {
    const { plan } = this.ctx;
    const blockDone = (b: number) => pagesOfBlock(plan, b).every((p) => landedEverywhere(this.index, p));
    for await (const b of this.claimBlocks(blockDone)) {
      const work = this.startBlock(b);
      for (const page of pagesOfBlock(plan, b)) {
        const formats = formatsNeeding(this.index, page);
        if (!formats.length) continue;
        if (this.stopping || work.lost) break;
        work.inFlight++;
        yield { work, page, formats, url: strategy.url(page) };
      }
      work.dispatched = true;
      await this.afterPage(work);
    }
  }

  /**
   * Claims blocks that still need work and yields them (block-log.ts has the rules): first this executor's
   * own blocks, then other executors' (taken from the end of their partitions), so an executor that is
   * done takes work from one that is behind, not started, or gone. A block another live session holds is
   * revisited (soon at first, backing off to a quarter lease) until it is done or its session is gone. `more` lets the caller add
   * blocks found on the way (the halves of a split window), worked on next; `expand` names the blocks that
   * replace one (a window split earlier).
   */
  private async *claimBlocks(isDone: (b: number) => boolean, more: number[] = [], expand?: (b: number) => number[] | undefined): AsyncGenerator<number> {
    const { plan, index: executor } = this.ctx;
    const home = blocksOf(plan, executor);
    let todo = [...home, ...(this.ctx.takeOthers === false ? [] : othersBlocks(plan, executor))];
    let reindexed = false;
    let waits = 0;
    while ((todo.length || more.length) && !this.stopping) {
      const busy: number[] = [];
      while ((todo.length || more.length) && !this.stopping) {
        const b = more.length ? more.shift()! : todo.shift()!;
        if (!reindexed && homeOf(plan, b) !== executor && !more.length) {
          // before taking others' work: what they landed since this session started
          await this.claims.refresh(todo.concat(b));
          await this.reindex();
          reindexed = true;
        }
        const verdict = await this.claims.acquire(b, () => isDone(b) && this.announced(b), this.exists, () => this.refreshBlock(b));
        const replaced = expand?.(b);
        if (replaced) more.unshift(...replaced);
        else if (verdict === 'busy') busy.push(b);
        else if (verdict === 'work') {
          waits = 0;
          if (homeOf(plan, b) !== executor) this.stats.blocksTaken++;
          await this.finishWhatWasLeft(b);
          yield b;
        }
      }
      todo = busy;
      if (todo.length) await this.waitForOthers(todo, waits++);
    }
  }

  /**
   * Indexed styles with slices: each slice is its own page space, discovered from its first page by the
   * session that claims it. A window announcing more than slices.max_pages pages is split in halves
   * (recorded in its log, so every session sees the same windows) and the halves take its place.
   */
  private async *sliceTasks(strategy: IndexedPagination): AsyncGenerator<PageTask> {
    const { plan } = this.ctx;
    const halves: number[] = [];
    const split = (b: number) => {
      const shape = shapeOf(this.claims.logs.get(b));
      return shape?.kind === 'split' ? shape.children : undefined;
    };
    for await (const b of this.claimBlocks((b) => this.sliceDone(b), halves, split)) {
      const known = shapeOf(this.claims.logs.get(b));
      const work = this.startBlock(b);
      const slice = sliceParamsOf(plan, b);
      const label = sliceLabelOf(plan, b);
      const shape = known ?? (await this.discoverSlice(strategy, work, slice, label));
      if (shape?.kind === 'split') halves.unshift(...shape.children);
      if (shape?.kind === 'pages') {
        this.stats.pagesPlanned += shape.last - shape.first + 1;
        // a slice discovered just now has its first page on the way already
        for (let p = known ? shape.first : shape.first + 1; p <= shape.last; p++) {
          const page = b * CHAIN_SPAN + p;
          const formats = formatsNeeding(this.index, page);
          if (!formats.length) continue;
          if (this.stopping || work.lost) break;
          work.inFlight++;
          yield { work, page, formats, url: strategy.url(p, slice), slice: label };
        }
      }
      work.dispatched = true;
      await this.afterPage(work);
    }
  }

  /** A slice is done once split (its halves are blocks of their own) or once every page it announced has landed. */
  private sliceDone(b: number): boolean {
    const shape = shapeOf(this.claims.logs.get(b));
    if (!shape) return false;
    if (shape.kind === 'split') return true;
    for (let p = shape.first; p <= shape.last; p++) if (!landedEverywhere(this.index, b * CHAIN_SPAN + p)) return false;
    return true;
  }

  /**
   * Fetches a slice's first page and records its page space (or its split) in the slice's log. The first
   * page lands like any other; a split window's does not (its halves cover it). Undefined when the page
   * failed (recorded) or the block was taken over.
   */
  private async discoverSlice(strategy: IndexedPagination, work: BlockWork, slice: SliceParams, label: string): Promise<PagesEntry | SplitEntry | undefined> {
    const { plan } = this.ctx;
    const b = work.block;
    const page = b * CHAIN_SPAN + strategy.first;
    const formats = formatsNeeding(this.index, page);
    work.inFlight++;
    try {
      const res = await this.fetch(page, strategy.url(strategy.first, slice), label);
      const records = res && this.records(page, res, formats);
      if (!res || !records) return undefined;
      const last = strategy.lastFromResponse(res, records.list.length);
      if (last === undefined) {
        this.fail(page, res.attempts, 'PAGINATION', new PaginationError(`slice ${label}: its first page announced no total`), res.status);
        return undefined;
      }
      const at = new Date(this.ctx.clock.now()).toISOString();
      const total = strategy.announcedRecords(res);
      // a capped API reports at most max_pages pages (TMDB: 500); its record total says how many it holds
      const pageSize = records.list.length;
      const announced = Math.max(last - strategy.first + 1, total !== undefined && pageSize ? Math.ceil(total / pageSize) : 0);
      const maxPages = plan.slices!.windows?.max_pages;
      const ambiguous = total === undefined && announced === maxPages; // at the cap, with no total to tell
      if (maxPages && (announced > maxPages || ambiguous) && daysIn(windowOf(plan, b)) > 1) {
        const split: SplitEntry = { kind: 'split', children: childBlocks(plan, b), announced_pages: announced, at };
        if (!(await this.claims.append(b, split))) return this.lose(work);
        this.ctx.log?.('window_split', { window: label, announced_pages: announced, max_pages: maxPages });
        return split;
      }
      const capped = maxPages !== undefined && announced > maxPages;
      const unreachable = capped ? Math.max(0, (total ?? announced * pageSize) - maxPages * pageSize) : 0;
      const shape: PagesEntry = {
        kind: 'pages',
        first: strategy.first,
        last: capped ? strategy.first + maxPages - 1 : Math.min(last, strategy.first + announced - 1),
        announced_pages: announced,
        ...(total !== undefined ? { announced_records: total } : {}),
        ...(capped ? { unreachable_records: unreachable } : {}),
        at,
      };
      if (!(await this.claims.append(b, shape))) return this.lose(work);
      const warning = capped
        ? `window ${label} announces ${announced} pages and the API serves at most ${maxPages}: ${unreachable} records cannot be reached`
        : records.warning;
      if (capped) this.stats.unreachableRecords += unreachable;
      this.land(work, page, records.list, res, formats, { slice: label, ...(warning ? { warning } : {}) });
      return shape;
    } finally {
      work.inFlight--;
    }
  }

  private lose(work: BlockWork): undefined {
    work.lost = true;
    this.ctx.log?.('block_lost', { block: work.block });
    return undefined;
  }

  /**
   * A block taken over from a session that died between a data file and its landed marker: the file counts
   * (its commit is valid) but readers would not see it. Markers are create-once, so writing one that exists
   * changes nothing.
   */
  private async finishWhatWasLeft(b: number): Promise<void> {
    const claim = holderOf(this.claims.logs.get(b));
    if (!claim?.took_from) return;
    for (const c of this.index.commits) if (c.block === b) await this.announce(b, c);
  }

  /**
   * Waits for blocks other live sessions hold, then re-reads their logs. The first looks come soon (a
   * holder is usually finishing its last pages), then back off to MAX_WAIT_FOR_OTHERS_MS, so many waiting
   * executors do not flood the store with listings (waitForOthersMs).
   */
  private async waitForOthers(blocks: number[], waitsSoFar: number): Promise<void> {
    if (waitsSoFar === 0) this.ctx.log?.('waiting_for_session', { blocks: blocks.length });
    await this.idleOnceDrained();
    const pause = waitForOthersMs(waitsSoFar, this.ctx.plan.executors, this.heartbeat.leaseMs);
    await this.ctx.clock.sleep(pause, this.ctx.signal).catch(() => {});
    if (this.stopping) return;
    // only these blocks can have moved for this session (the rest are done or its own): their logs, then the
    // files and markers their commits name, by name. A full reindex lists and stats every data file, and 64
    // executors waiting at the end of a run spent seconds of CPU on it after their last request.
    await this.claims.refresh(blocks);
    for (const b of blocks) this.reindexIfMoved(b, await this.lookUpCommitted(b));
  }

  /**
   * Waiting for others' blocks, this session wants no rate: once its own pages in flight are done (they
   * need the rate), its slots go to the sessions that fetch (rate-share.ts). Its next fetch asks them back.
   */
  private async idleOnceDrained(): Promise<void> {
    if (!this.rateShare) return;
    const until = this.ctx.clock.now() + this.heartbeat.leaseMs / 4;
    while ([...this.working.values()].some((w) => w.inFlight > 0) && this.ctx.clock.now() < until && !this.stopping) {
      await this.ctx.clock.sleep(DRAIN_POLL_MS, this.ctx.signal).catch(() => {});
    }
    if ([...this.working.values()].every((w) => w.inFlight === 0)) await this.rateShare.setIdle(true);
  }

  /** Extracts the records of a page and checks them against the plan (short reads are reported). */
  private records(page: number, res: HttpResponse, formats: Format[]): { list: unknown[]; warning?: string } | undefined {
    let list: unknown[];
    try {
      list = extractRecords(res.body, this.ctx.spec.source.records);
    } catch (err) {
      this.fail(page, res.attempts, failureOf(err, 'PAGINATION'), err, res.status);
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

  // ---- chain styles: one block per slice, each chain fetched in order by one worker ----

  private async runChains(strategy: ChainPagination): Promise<void> {
    const { plan, spec } = this.ctx;
    await pullWorkers(this.chainTasks(), Math.min(spec.limits.concurrency, blockCount(plan)), (work) => this.runChain(strategy, work));
  }

  private async *chainTasks(): AsyncGenerator<BlockWork> {
    for await (const b of this.claimBlocks((b) => chainProgress(this.index, b * CHAIN_SPAN).done)) yield this.startBlock(b);
  }

  /**
   * Fetches one chain from where earlier sessions left it; a chain is strictly sequential. The loop guard
   * remembers the cursors of landed pages (bounded by limits.max_seen_cursors), so a chain whose API
   * repeats a cursor is stopped before the repeated page is fetched, in this session or any later one.
   */
  private async runChain(strategy: ChainPagination, work: BlockWork): Promise<void> {
    const { plan, spec } = this.ctx;
    const sliceValue = plan.slices!.param ? plan.slices!.values[work.block] : plan.slices!.windows ? sliceLabelOf(plan, work.block) : '';
    const slice = sliceParamsOf(plan, work.block);
    const base = work.block * CHAIN_SPAN;
    const resume = chainProgress(this.index, base);
    const seen = new BoundedSet(spec.limits.maxSeenCursors, resume.cursors);
    let position = resume.position;
    let url: string | undefined = resume.next ? unseal(resume.next, spec.secrets) : strategy.firstUrl(slice);
    let emptyStreak = 0;
    const chainName = sliceValue || '(no slice)';
    try {
      while (url && !this.stopping && !work.lost) {
        const page = base + position;
        if (position >= spec.limits.maxChainPages || position >= CHAIN_SPAN) {
          this.fail(page, 0, 'PAGINATION', new PaginationError(`chain ${chainName} passed limits.max_chain_pages (${spec.limits.maxChainPages})`));
          return;
        }
        const sealed = seal(url, spec.secrets);
        const cursor = cursorHash(sealed);
        if (seen.has(cursor)) {
          this.fail(page, 0, 'PAGINATION', new PaginationError(`the API repeated a cursor/next link at page ${position} of chain ${chainName}: ${url}`));
          return;
        }
        this.stats.pagesPlanned++;
        work.inFlight++;
        const res = await this.fetch(page, url, sliceValue);
        const formats = formatsNeeding(this.index, page);
        const records = res && this.records(page, res, formats);
        const next: string | undefined = res && records ? this.nextOf(strategy, page, res, url) : undefined;
        if (res && records && next !== undefined) {
          emptyStreak = records.list.length === 0 ? emptyStreak + 1 : 0;
          const link: ChainLink = { next: next ? seal(next, spec.secrets) : null, cursor };
          this.land(work, page, records.list, res, formats, { slice: sliceValue, cursor: sealed }, link);
        }
        work.inFlight--;
        await this.afterPage(work);
        if (next === undefined) return;
        seen.add(cursor);
        if (emptyStreak >= 3 && next) {
          this.fail(page + 1, 0, 'PAGINATION', new PaginationError(`${emptyStreak} empty pages in a row that still name a next page (chain ${chainName})`));
          return;
        }
        url = next || undefined;
        position++;
      }
    } finally {
      work.dispatched = true;
      await this.afterPage(work);
    }
  }

  /** The chain's next URL ('' at its end), or undefined when the page names none we can follow (recorded). */
  private nextOf(strategy: ChainPagination, page: number, res: TimedResponse, url: string): string | undefined {
    try {
      return strategy.nextUrl(res, url) ?? '';
    } catch (err) {
      this.fail(page, res.attempts, 'PAGINATION', err, res.status);
      return undefined;
    }
  }

  // ---- fetching and the ledger ----

  /** One page fetch with every attempt recorded. Undefined when it failed (recorded) or was aborted. */
  private async fetch(page: number, url: string, slice?: string): Promise<TimedResponse | undefined> {
    const { ctx } = this;
    const chain = slice === undefined ? {} : { slice, cursor: url };
    const startedAt = ctx.clock.now();
    if (this.lastRequestAt === undefined) this.noteStartup();
    else if (this.stats.pagesFetched > 0) this.stats.maxRequestGapMs = Math.max(this.stats.maxRequestGapMs, startedAt - this.lastRequestAt);
    if (this.rateShare?.idle && !ctx.signal.aborted) await this.rateShare.setIdle(false);
    this.lastRequestAt = startedAt;
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
              error_class: r.errorClass && FAILURES[r.errorClass].ledger,
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
      this.fail(page, h?.attempts ?? 1, failureOf(err, 'TRANSIENT'), err, h?.statusCode, chain);
      return undefined;
    }
  }

  /** What the process had spent (CPU, memory) by its first request. */
  private noteStartup(): void {
    const cpu = process.cpuUsage();
    this.stats.startupCpuS = Math.round((cpu.user + cpu.system) / 1e4) / 100;
    this.stats.startupRssMiB = Math.round(process.memoryUsage.rss() / 1048576);
  }

  private fail(
    page: number,
    attempt: number,
    failure: Failure,
    err: unknown,
    httpStatus?: number,
    chain: { slice?: string; cursor?: string } = {},
  ): void {
    this.stats.pagesFailed++;
    // redacted and made one line by the ledger writer, the edge: the log gets the line as written
    const { error } = this.ledger.record({
      page,
      ...chain,
      attempt,
      status: 'failed',
      http_status: httpStatus,
      error_class: FAILURES[failure].ledger,
      error: describeError(err),
      started_at: new Date(this.ctx.clock.now()).toISOString(),
      duration_ms: 0,
    });
    this.ctx.log?.('page_failed', { page, error_class: FAILURES[failure].ledger, error });
  }

  private land(
    work: BlockWork,
    page: number,
    records: unknown[],
    res: TimedResponse,
    formats: Format[],
    extra: { slice?: string; cursor?: string; warning?: string },
    link?: ChainLink,
  ): void {
    const fetchedAt = new Date(this.ctx.clock.now());
    const prov = { runId: this.ctx.plan.run_id, page: this.ctx.strategy.kind === 'chain' ? page % CHAIN_SPAN : page, fetchedAt };
    // one schema inference per page, for every format
    const input = { records, prov, schema: inferSchema(records), jsonBytes: res.bytes, texts: formats.includes('ndjson') ? this.textsOf(res, records.length) : undefined };
    for (const f of formats) {
      const cut = work.batchers.get(f)!.add(page, input, link, fetchedAt.getTime());
      if (cut) this.enqueueCommit(work, cut);
    }
    this.stats.pagesFetched++;
    this.stats.recordsFetched += records.length;
    if (this.ctx.echoes?.(JSON.stringify(records))) {
      // the data is kept as the API sent it: changing it silently would be worse than saying so
      this.stats.secretEchoes++;
      extra = { ...extra, warning: [extra.warning, 'the API echoed a secret into the records of this page; they are kept as sent'].filter(Boolean).join('; ') };
    }
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

  /** The API's own text of each record of a page (record-texts.ts), when the scan finds one per record. */
  private textsOf(res: HttpResponse, records: number): RecordTexts | undefined {
    const found = res.text === undefined ? undefined : recordTexts(res.text, this.ctx.spec.source.records);
    return found?.texts.length === records ? found : undefined;
  }

  // ---- the commit pipeline ----

  private startBlock(block: number): BlockWork {
    const { spec } = this.ctx;
    const { store, layout } = this.ctx;
    const open = (f: Format) => {
      const upload = store.openUpload(layout.dataFile(f, this.session, block, ++this.fileSeq, FILE_EXTENSION[f]));
      // a new file's columns start from the dataset's schema, so column types stay stable across files
      return { upload, builder: this.newBuilder(f, upload, { schema: this.schema.current }) };
    };
    const batchers = new Map(this.formats.map((f) => [f, new Batcher(f, block, spec.output.fileTargetBytes, open)]));
    const work: BlockWork = { block, batchers, inFlight: 0, dispatched: false, lost: false };
    this.working.set(block, work);
    return work;
  }

  /** Cuts full files, and every file of a block that is finished; pauses fetching while too much waits to be committed. */
  private async afterPage(work: BlockWork): Promise<void> {
    if (work.dispatched && work.inFlight === 0 && this.working.get(work.block) === work) {
      this.cutAll(work);
      this.working.delete(work.block);
      this.commitQueue = this.commitQueue.then(() => this.releaseIfIncomplete(work));
    } else {
      for (const b of work.batchers.values()) if (b.full) this.enqueueCommit(work, b.cut()!);
      // the page's bytes are encoded and written before its worker fetches again: memory stays one row group
      for (const b of work.batchers.values()) await b.flush().catch((err: unknown) => (this.commitError ??= err));
    }
    while (this.queuedBatches > MAX_QUEUED_BATCHES_PER_FORMAT * this.formats.length && !this.commitError) await this.commitQueue;
  }

  /** Cuts every file whose first page is output.max_file_age old, so a slow API's pages reach readers on time. */
  private cutOld(): void {
    const now = this.ctx.clock.now();
    for (const work of this.working.values()) {
      for (const b of work.batchers.values()) if (b.old(now, this.ctx.spec.output.maxFileAgeMs)) this.enqueueCommit(work, b.cut()!);
    }
  }

  private cutAll(work: BlockWork): void {
    for (const b of work.batchers.values()) {
      const batch = b.cut();
      if (batch) this.enqueueCommit(work, batch);
    }
  }

  /** Commits are serialised: one file is written and committed while the next ones fill. */
  private enqueueCommit(work: BlockWork, batch: Batch): void {
    const { store, layout, index: executor, clock } = this.ctx;
    this.queuedBatches++;
    this.commitQueue = this.commitQueue.then(async () => {
      try {
        if (work.lost || this.commitError) return await this.drop(batch);
        const { entry, schema } = await finishBatch({ id: this.session, executor }, batch, () => new Date(clock.now()));
        if (!(await this.claims.append(work.block, entry))) {
          work.lost = true;
          await this.drop(batch);
          this.ctx.log?.('block_lost', { block: work.block, to: this.claims.logs.get(work.block)?.at(-1) });
          return;
        }
        await batch.upload.complete(); // the file becomes visible only now, after its commit entry
        await this.announce(work.block, entry);
        this.files.get(batch.format)!.set(entry.file, entry.bytes);
        entry.pages.forEach((page, i) =>
          this.index.landed.get(batch.format)!.set(page, { file: entry.file, next: entry.next?.[i], cursor: entry.cursors?.[i] }),
        );
        this.index.commits.push({ ...entry, block: work.block });
        this.stats.files++;
        this.stats.bytes += entry.bytes;
        await this.schema.observe(schema, executor);
        for (const page of batch.pages) this.pageCommitted(page, batch.format, entry.file);
      } catch (err) {
        // the data file or its commit could not be stored: its pages have not landed
        this.commitError = err;
        await batch.upload.abort();
        for (const page of batch.pages) this.fail(page, 0, 'WRITE', err);
      } finally {
        this.queuedBatches--;
      }
      // Landed pages are recorded soon after their files, without holding up the next commit: the writer
      // serialises its flushes and retries a failing store; if it gives up, the lines stay queued, the
      // executor stops taking pages, and the final flush tries once more.
      void this.ledger.flush().catch(() => {});
    });
  }

  /**
   * After a block's last commit: if some of its pages failed, say so in its log, so other live sessions
   * neither wait for it (two sessions could wait for each other) nor retry it now; a resume will.
   */
  private async releaseIfIncomplete(work: BlockWork): Promise<void> {
    if (work.lost || this.ctx.signal.aborted || this.blockComplete(work.block)) return;
    await this.claims.append(work.block, { kind: 'release', session: this.session, at: new Date(this.ctx.clock.now()).toISOString() }).catch(() => {});
  }

  /** Whether every page this session knows of in a block has landed in every format. */
  private blockComplete(b: number): boolean {
    const { plan, strategy } = this.ctx;
    if (strategy.kind === 'chain') return chainProgress(this.index, b * CHAIN_SPAN).done;
    if (plan.slices) return this.sliceDone(b);
    return pagesOfBlock(plan, b).every((p) => landedEverywhere(this.index, p));
  }

  /** Forgets fetched pages that will not be committed by this session (another one holds their block), and their file. */
  private async drop(batch: Batch): Promise<void> {
    for (const page of batch.pages) this.pending.delete(page);
    await batch.builder.finish().catch(() => {}); // its writes still in flight must not meet a closed file
    await batch.upload.abort();
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

/** A short, stable id of a (sealed) cursor or URL. */
function cursorHash(sealed: string): string {
  return createHash('sha256').update(sealed).digest('hex').slice(0, 16);
}

/** A set that forgets its oldest members beyond `max`, so a long chain's loop guard uses bounded memory. */
class BoundedSet {
  private readonly items = new Set<string>();
  constructor(
    private readonly max: number,
    initial: readonly string[] = [],
  ) {
    for (const i of initial.slice(-max)) this.add(i);
  }
  has(v: string): boolean {
    return this.items.has(v);
  }
  add(v: string): void {
    this.items.add(v);
    if (this.items.size > this.max) this.items.delete(this.items.values().next().value!);
  }
}
