import type { Format } from '../format/types.js';
import type { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';
import type { Plan } from '../plan/types.js';
import { appendEntry, readBlockLogs } from './block-log.js';
import { listMarkers, markerFindings, writeMarker } from './markers.js';
import { computeStatus, loadIndex } from './status.js';

export interface RepairResult {
  /** Committed files voided and removed: their pages are fetched again by a resume. */
  voided: string[];
  /** Uncommitted files removed. */
  removed: string[];
  /** Landed markers written (a file readers could not see) or removed (a file that does not count). */
  markers: number;
}

/**
 * Makes the landing zone hold each page at most once, in files that agree with their commits, and nothing
 * outside the protocol; never loses a page that is landed once. Safe while executors run: uncommitted files
 * are found with the listing taken before the logs (status.ts), and voids are appended with the same
 * create-once rule as every other entry.
 * - the later file of every page that is in two committed files is voided and removed;
 * - a committed file whose size or record count disagrees with its commit is voided and removed;
 * - every data file that no valid commit names is removed;
 * - landed markers are written where a committed file has none, and removed where the file does not count.
 * Pages of voided files are missing afterwards, so `status` says what a resume must fetch again.
 */
export async function repairRun(store: Store, layout: Layout, plan: Plan, formats: Format[], now: () => Date = () => new Date()): Promise<RepairResult> {
  const index = await loadIndex(store, layout, formats);
  const status = await computeStatus(store, layout, plan, formats, { verifyRecords: true });
  const toVoid = new Map<string, string>();
  for (const d of index.duplicates) toVoid.set(d.files[1], `page ${d.page} is also in ${d.files[0]}`);
  for (const f of status.reconcile.mismatched_files) toVoid.set(f, 'its size or record count disagrees with its commit');
  const blockOf = new Map(index.commits.map((c) => [c.file, c] as const));
  const logs = await readBlockLogs(store, layout);
  for (const [file, reason] of toVoid) {
    const block = [...logs].find(([, log]) => log.some((e) => e.kind === 'commit' && e.file === file))?.[0];
    if (block === undefined || !blockOf.has(file)) continue;
    let log = logs.get(block)!;
    for (;;) {
      const res = await appendEntry(store, layout, block, log, { kind: 'void', file, reason, at: now().toISOString() });
      log = res.log;
      if (res.won) break;
    }
    logs.set(block, log);
    await store.delete(file);
  }
  for (const orphan of index.orphans) await store.delete(orphan);
  // markers follow the block logs as they now are
  const after = await loadIndex(store, layout, formats);
  const markers = markerFindings(layout, after, await listMarkers(store, layout, formats));
  for (const c of markers.missing) await writeMarker(store, layout, c.block, c);
  for (const key of markers.stray) await store.delete(key);
  return { voided: [...toVoid.keys()], removed: index.orphans, markers: markers.missing.length + markers.stray.length };
}
