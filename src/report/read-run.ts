import type { Format } from '../format/types.js';
import type { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';
import { readLedger } from '../ledger/reader.js';
import { readSessions } from '../ledger/sessions.js';
import { computeStatus, loadIndex } from '../ledger/status.js';
import type { LedgerEntry } from '../ledger/types.js';
import type { Plan } from '../plan/types.js';
import type { ReportInput } from './types.js';

/**
 * Everything the report shows comes from the landing zone alone (a folder or S3, written by any machine):
 * `pagefleet status`'s own computation, the ledger lines, the session records and the block logs' commits.
 * Nothing is written.
 */
export async function readRun(
  store: Store,
  layout: Layout,
  plan: Plan,
  formats: Format[],
  opts: { verifyRecords: boolean; rateLimit: number; sourceUrl: string },
): Promise<ReportInput> {
  const status = await computeStatus(store, layout, plan, formats, { verifyRecords: opts.verifyRecords });
  const index = await loadIndex(store, layout, formats);
  const ledger: LedgerEntry[] = [];
  for await (const e of readLedger(store, layout)) ledger.push(e);
  return {
    plan,
    status,
    ledger,
    sessions: await readSessions(store, layout),
    commits: index.commits.map((c) => ({
      format: c.format,
      file: c.file,
      bytes: c.bytes,
      records: c.records,
      pages: c.pages.length,
      at: c.at,
      executor: c.executor,
    })),
    rateLimit: opts.rateLimit,
    sourceUrl: opts.sourceUrl,
    landing: store.location,
  };
}
