import type { Format } from '../format/types.js';
import type { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';
import { ownerOf, slicesOf } from '../plan/partition.js';
import type { Plan } from '../plan/types.js';
import { readLanded, type LandedPage } from './commits.js';
import { readLedger } from './reader.js';
import { CHAIN_SPAN } from './types.js';

export interface ExecutorStatus {
  executor: number;
  /** Indexed: pages owned. Chains: pages seen so far (landed + failed). */
  planned: number;
  landed: number;
  failed: number;
  missing: number;
  /** Chains only: chains owned and chains fetched to their end. */
  chains?: number;
  chainsComplete?: number;
}

export interface RunStatus {
  run_id: string;
  dataset: string;
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
  /** Reconciliation of ledger and data (all should be zero). */
  reconcile: {
    /** Data files no commit record names: written outside pagefleet's protocol. */
    orphan_files: string[];
    /** Commit records whose data file is missing: pages not landed (a crash mid-commit). */
    stale_commits: number;
    /** Ledger "landed" lines naming a file that does not exist: the ledger would be lying. */
    ledger_landed_without_file: number;
    /** Pages landed in some formats but not all. */
    partially_landed: number;
  };
}

/**
 * Landed / failed / missing pages per executor. Truth is the data: a page has landed when a commit record
 * names it and that record's data file exists, in every format. The ledger says why the rest failed.
 */
export async function computeStatus(store: Store, layout: Layout, plan: Plan, formats: Format[]): Promise<RunStatus> {
  const perFormat: Map<number, LandedPage>[] = [];
  const orphans: string[] = [];
  let stale = 0;
  const recordsByFormat: Partial<Record<Format, number>> = {};
  const files = new Set<string>();
  for (const f of formats) {
    const r = await readLanded(store, layout, f);
    perFormat.push(r.landed);
    orphans.push(...r.orphans);
    stale += r.stale.length;
    recordsByFormat[f] = r.records;
    for (const key of await store.list(layout.dataDir(f))) files.add(key);
  }
  const landedAll = (page: number) => perFormat.every((m) => m.has(page));
  const partially = [...new Set(perFormat.flatMap((m) => [...m.keys()]))].filter((p) => !landedAll(p)).length;

  const lastAttempt = new Map<number, { status: string; error_class?: string; http_status?: number }>();
  let ledgerLies = 0;
  for await (const e of readLedger(store, layout)) {
    if (e.status === 'landed' && e.files?.some((f) => !files.has(f))) ledgerLies++;
    if (e.status !== 'retrying') lastAttempt.set(e.page, e);
  }
  const failedPage = (page: number) => !landedAll(page) && lastAttempt.get(page)?.status === 'failed';

  const executors: ExecutorStatus[] = Array.from({ length: plan.executors }, (_, executor) => ({
    executor,
    planned: 0,
    landed: 0,
    failed: 0,
    missing: 0,
  }));
  if (plan.pages) {
    for (let page = plan.pages.first; page <= plan.pages.last; page++) {
      const s = executors[ownerOf(plan, page)];
      s.planned++;
      if (landedAll(page)) s.landed++;
      else if (failedPage(page)) s.failed++;
      else s.missing++;
    }
  } else {
    for (const s of executors) {
      const owned = slicesOf(plan, s.executor);
      s.chains = owned.length;
      s.chainsComplete = 0;
      for (const slice of owned) {
        let pos = 0;
        let done = false;
        while (landedAll(slice * CHAIN_SPAN + pos)) {
          const next = perFormat[0].get(slice * CHAIN_SPAN + pos)!.next;
          pos++;
          if (next === null || next === undefined) {
            done = true;
            break;
          }
        }
        s.landed += pos;
        if (done) s.chainsComplete++;
        else if (failedPage(slice * CHAIN_SPAN + pos)) s.failed++;
        else s.missing++;
      }
      s.planned = s.landed + s.failed + s.missing;
    }
  }

  const failures: Record<string, number> = {};
  for (const [page, a] of lastAttempt) {
    if (a.status !== 'failed' || landedAll(page)) continue;
    const key = `${a.error_class ?? 'UNKNOWN'}${a.http_status ? ` ${a.http_status}` : ''}`;
    failures[key] = (failures[key] ?? 0) + 1;
  }
  const totals = executors.reduce(
    (t, s) => ({ planned: t.planned + s.planned, landed: t.landed + s.landed, failed: t.failed + s.failed, missing: t.missing + s.missing }),
    { planned: 0, landed: 0, failed: 0, missing: 0 },
  );
  return {
    run_id: plan.run_id,
    dataset: plan.dataset,
    complete: totals.failed === 0 && totals.missing === 0,
    executors,
    totals,
    records: recordsByFormat[formats[0]] ?? 0,
    records_by_format: recordsByFormat,
    announced_records: plan.announced?.records,
    failures,
    reconcile: { orphan_files: orphans, stale_commits: stale, ledger_landed_without_file: ledgerLies, partially_landed: partially },
  };
}
