import { failureGroup } from '../failure.js';
import type { Format } from '../format/types.js';
import type { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';
import { blocksOf, CHAIN_SPAN, homeOf, pagesOfBlock } from '../plan/partition.js';
import type { Plan } from '../plan/types.js';
import { readBlockLogs, shapeOf, type BlockLogs } from './block-log.js';
import { chainProgress, indexRun, landedEverywhere, type RunIndex } from './landed-index.js';
import { listMarkers, markerFindings } from './markers.js';
import { readLedger } from './reader.js';
import { readSessions, type SessionRecord } from './sessions.js';
import { countRecords } from './verify.js';

export interface SessionStatus {
  session: string;
  host: string;
  pid: number;
  started_at: string;
  /** The last heartbeat, or the end. */
  last_seen: string;
  ended: boolean;
}

export interface ExecutorStatus {
  executor: number;
  /** Indexed: pages in its partition. Chains: pages seen so far (landed + failed + missing chains). */
  planned: number;
  landed: number;
  failed: number;
  missing: number;
  /** Chains only: chains owned and chains fetched to their end. */
  chains?: number;
  chainsComplete?: number;
  /** Indexed styles with slices: slices (windows after splits) and windows that were split. */
  slices?: number;
  windowsSplit?: number;
  /** Pages of other executors' partitions that this executor's sessions landed (work that moved to it). */
  taken: number;
  /** Every session that ran this executor index, oldest first. */
  sessions: SessionStatus[];
}

export interface RunStatus {
  run_id: string;
  computed_at: string;
  dataset: string;
  /** True only when every page has landed exactly once in every format and the data agrees with the commits. */
  complete: boolean;
  executors: ExecutorStatus[];
  totals: { planned: number; landed: number; failed: number; missing: number };
  /** Records in the landed files of the first format. */
  records: number;
  /** Records in each format's landed files; they differ while some pages have landed in only some formats. */
  records_by_format: Partial<Record<Format, number>>;
  announced_records?: number;
  /** Failures by error class and HTTP status, from each failed page's last attempt. */
  failures: Record<string, number>;
  /** Why the data cannot be trusted as it is, one line each (each makes the run incomplete). */
  problems: string[];
  /** What the run could not do by design and the user should know (does not make it incomplete). */
  notes: string[];
  /** Records in one-day windows beyond the API's page cap (slices.max_pages). */
  unreachable_records: number;
  /** What the data check found (all zero on a clean run). */
  reconcile: {
    /** Data files that no valid commit names: readers of the folder would see them. */
    orphan_files: string[];
    /** Pages named by two committed files of one format. */
    duplicate_pages: number;
    /** Commit entries whose data file does not exist (their pages have not landed). */
    stale_commits: number;
    /** Committed files whose size or record count differs from their commit entry. */
    mismatched_files: string[];
    /** Committed files without a landed marker, and markers of files that do not count. */
    missing_markers: number;
    stray_markers: string[];
    /** Ledger "landed" lines naming a file that does not exist. */
    ledger_landed_without_file: number;
    /** Pages landed in some formats but not all. */
    partially_landed: number;
    /** Whether record counts were read from the files themselves (`status`), or only sizes (end of ingest). */
    records_verified: boolean;
  };
}

/**
 * Landed / failed / missing pages per executor, and a check of the data itself. Truth is the landing
 * zone: the block logs say which files count (landed-index.ts), the files must exist with the size and
 * record count committed, no page may be in two files, and no file may lie outside the protocol. The
 * ledger only says why the rest failed.
 */
export async function computeStatus(
  store: Store,
  layout: Layout,
  plan: Plan,
  formats: Format[],
  opts: { verifyRecords?: boolean } = {},
): Promise<RunStatus> {
  const index = await loadIndex(store, layout, formats);
  const sessions = await readSessions(store, layout);
  const problems: string[] = [];

  // A page's last attempt is its latest by start time, not its last line in segment-name order: a block
  // released with failed pages is retried by whichever executor takes it, and executor=000's segments sort
  // before executor=001's whatever their times. Equal times keep the line read later.
  const lastAttempt = new Map<number, { status: string; error_class?: string; http_status?: number; startedMs: number }>();
  let ledgerLies = 0;
  const present = (file: string) => formats.some((f) => index.files.get(f)!.has(file));
  for await (const e of readLedger(store, layout)) {
    if (e.status === 'landed' && e.files?.some((f) => !present(f))) ledgerLies++;
    if (e.status === 'retrying') continue;
    const startedMs = Date.parse(e.started_at) || 0;
    if (startedMs >= (lastAttempt.get(e.page)?.startedMs ?? -Infinity)) lastAttempt.set(e.page, { ...e, startedMs });
  }
  const landedAll = (page: number) => landedEverywhere(index, page) !== undefined;
  const failedPage = (page: number) => !landedAll(page) && lastAttempt.get(page)?.status === 'failed';

  const executors: ExecutorStatus[] = Array.from({ length: plan.executors }, (_, executor) => ({
    executor,
    planned: 0,
    landed: 0,
    failed: 0,
    missing: 0,
    taken: 0,
    sessions: sessions
      .filter((s) => s.executor === executor)
      .sort((a, b) => a.started_at.localeCompare(b.started_at))
      .map(sessionStatus),
  }));
  let unreachable = 0;
  for (const s of executors) {
    if (plan.slices && plan.style !== 'cursor' && plan.style !== 'link') {
      unreachable += slicedPages(plan, index.logs, s, landedAll, failedPage);
      continue;
    }
    if (plan.pages) {
      for (const b of blocksOf(plan, s.executor)) {
        for (const page of pagesOfBlock(plan, b)) {
          s.planned++;
          if (landedAll(page)) s.landed++;
          else if (failedPage(page)) s.failed++;
          else s.missing++;
        }
      }
      continue;
    }
    const owned = blocksOf(plan, s.executor);
    s.chains = owned.length;
    s.chainsComplete = 0;
    for (const b of owned) {
      const p = chainProgress(index, b * CHAIN_SPAN);
      s.landed += p.position;
      if (p.done) s.chainsComplete++;
      else if (failedPage(b * CHAIN_SPAN + p.position)) s.failed++;
      else s.missing++;
    }
    s.planned = s.landed + s.failed + s.missing;
  }

  for (const c of index.commits) {
    if (c.format === formats[0] && homeOf(plan, c.block) !== c.executor && executors[c.executor]) executors[c.executor].taken += c.pages.length;
  }

  const failures: Record<string, number> = {};
  for (const [page, a] of lastAttempt) {
    if (a.status !== 'failed' || landedAll(page)) continue;
    const key = failureGroup(a.error_class, a.http_status);
    failures[key] = (failures[key] ?? 0) + 1;
  }

  const recordsByFormat: Partial<Record<Format, number>> = {};
  for (const f of formats) recordsByFormat[f] = 0;
  for (const c of index.commits) recordsByFormat[c.format]! += c.records;

  // the data check
  const mismatched = index.sizeMismatches.map((m) => m.file);
  for (const m of index.sizeMismatches) problems.push(`file ${m.file} has ${m.actual} bytes, its commit says ${m.committed}`);
  if (opts.verifyRecords) {
    for (const c of index.commits) {
      if (mismatched.includes(c.file)) continue;
      const actual = await countRecords(store, c.file, c.format);
      if (actual === c.records) continue;
      mismatched.push(c.file);
      problems.push(`file ${c.file} holds ${actual ?? 'unreadable'} records, its commit says ${c.records}`);
    }
  }
  if (index.duplicates.length) {
    const d = index.duplicates[0];
    problems.push(`${index.duplicates.length} pages are in two committed files (page ${d.page} of ${d.format} in ${d.files.join(' and ')})`);
  }
  const markers = markerFindings(layout, index, await listMarkers(store, layout, formats));
  if (markers.missing.length) {
    problems.push(`${markers.missing.length} committed files have no landed marker (${markers.missing[0].file}): readers that follow the protocol do not see them`);
  }
  if (markers.stray.length) {
    problems.push(`${markers.stray.length} landed markers name files that do not count (${markers.stray[0]})`);
  }
  if (index.orphans.length) {
    problems.push(`${index.orphans.length} data files are not committed (${index.orphans[0]}${index.orphans.length > 1 ? ', …' : ''}): readers of the folder would see them`);
  }
  const totals = executors.reduce(
    (t, s) => ({ planned: t.planned + s.planned, landed: t.landed + s.landed, failed: t.failed + s.failed, missing: t.missing + s.missing }),
    { planned: 0, landed: 0, failed: 0, missing: 0 },
  );
  const records = recordsByFormat[formats[0]] ?? 0;
  const notes = unreachable
    ? [`${unreachable} records are in one-day windows that announce more pages than slices.max_pages: the API does not serve them`]
    : [];
  const announced = plan.announced?.records;
  const capacity = plan.pages && plan.page_size ? (plan.pages.last - plan.pages.first + 1) * plan.page_size : 0;
  const endChosen = (plan.fingerprint?.pagination as Record<string, { end?: number }> | undefined)?.[plan.style]?.end !== undefined;
  if (announced !== undefined && totals.failed === 0 && totals.missing === 0 && records < announced) {
    // an `end` below the API's total is the user's choice; a page space the API itself capped is not
    if (capacity >= announced) problems.push(`${announced - records} of the ${announced} records the API announced were not landed`);
    else if (!endChosen) {
      problems.push(`the API announced ${announced} records but serves ${plan.pages!.last - plan.pages!.first + 1} pages of ${plan.page_size} (it caps each query): slice the query with windows and slices.max_pages`);
    }
  }
  const partially = [...new Set(formats.flatMap((f) => [...index.landed.get(f)!.keys()]))].filter((p) => !landedAll(p)).length;
  return {
    run_id: plan.run_id,
    computed_at: new Date().toISOString(),
    dataset: plan.dataset,
    complete: totals.failed === 0 && totals.missing === 0 && problems.length === 0,
    executors,
    totals,
    records,
    records_by_format: recordsByFormat,
    announced_records: announced,
    failures,
    problems,
    notes,
    unreachable_records: unreachable,
    reconcile: {
      orphan_files: index.orphans,
      duplicate_pages: index.duplicates.length,
      stale_commits: index.missingFiles.length,
      mismatched_files: mismatched,
      missing_markers: markers.missing.length,
      stray_markers: markers.stray,
      ledger_landed_without_file: ledgerLies,
      partially_landed: partially,
      records_verified: opts.verifyRecords === true,
    },
  };
}

/** Stores a status result beside the run, where spark/pagefleet_spark/report.py renders it (one source of the rules). */
export async function writeStatus(store: Store, layout: Layout, status: RunStatus): Promise<void> {
  await store.put(layout.status, JSON.stringify(status, null, 1));
}

/**
 * The landed index with the listing of data files taken BEFORE the block logs are read: a file is visible
 * only after its commit entry, so every listed file's entry is already in the logs, and a file that looks
 * uncommitted really is (repair relies on this).
 */
export async function loadIndex(
  store: Store,
  layout: Layout,
  formats: Format[],
): Promise<RunIndex & { files: Map<Format, Map<string, number>>; logs: BlockLogs }> {
  const files = new Map(await Promise.all(formats.map(async (f) => [f, await store.listSizes(layout.dataDir(f))] as const)));
  const logs = await readBlockLogs(store, layout);
  return { ...indexRun(formats, logs, files), files, logs };
}

/**
 * One executor's pages of an indexed style with slices: its root slices, and the halves of those that were
 * split. A slice whose page space is not known yet counts as its first page. Returns unreachable records.
 */
function slicedPages(
  plan: Plan,
  logs: BlockLogs,
  s: ExecutorStatus,
  landedAll: (page: number) => boolean,
  failedPage: (page: number) => boolean,
): number {
  const count = (page: number) => {
    s.planned++;
    if (landedAll(page)) s.landed++;
    else if (failedPage(page)) s.failed++;
    else s.missing++;
  };
  let unreachable = 0;
  s.slices = 0;
  s.windowsSplit = 0;
  const todo = blocksOf(plan, s.executor);
  while (todo.length) {
    const b = todo.shift()!;
    const shape = shapeOf(logs.get(b));
    if (shape?.kind === 'split') {
      s.windowsSplit++;
      todo.push(...shape.children);
      continue;
    }
    s.slices++;
    if (!shape) {
      count(b * CHAIN_SPAN + (plan.first_page ?? 0));
      continue;
    }
    for (let p = shape.first; p <= shape.last; p++) count(b * CHAIN_SPAN + p);
    unreachable += shape.unreachable_records ?? 0;
  }
  return unreachable;
}

function sessionStatus(s: SessionRecord): SessionStatus {
  return { session: s.session, host: s.host, pid: s.pid, started_at: s.started_at, last_seen: s.ended_at ?? s.beat_at, ended: s.ended_at !== undefined };
}
