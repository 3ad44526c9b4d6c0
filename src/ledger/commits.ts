import type { Format } from '../format/types.js';
import type { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';
import type { CommitRecord } from './types.js';

/** A page that has landed in one format: the file that holds it, and (chains) the cursor after it. */
export interface LandedPage {
  file: string;
  next?: string | null;
}

/**
 * Reads the commit records of a run for one format and keeps those whose data file exists: those pages
 * have landed. Records without their file (a crash between record and file) are returned as `stale`.
 */
export async function readLanded(
  store: Store,
  layout: Layout,
  format: Format,
  executor?: number,
): Promise<{ landed: Map<number, LandedPage>; stale: string[]; orphans: string[]; records: number }> {
  const dataFiles = new Set(await store.list(layout.dataDir(format)));
  const landed = new Map<number, LandedPage>();
  const stale: string[] = [];
  const referenced = new Set<string>();
  let records = 0;
  const prefix = executor === undefined ? '' : `part-e${String(executor).padStart(3, '0')}-`;
  for (const key of await store.list(layout.commitsDir(format))) {
    if (!key.slice(key.lastIndexOf('/') + 1).startsWith(prefix)) continue;
    const record = await readCommit(store, key);
    if (!record) continue;
    if (!dataFiles.has(record.file)) {
      stale.push(key);
      continue;
    }
    referenced.add(record.file);
    records += record.records;
    record.pages.forEach((page, i) => landed.set(page, { file: record.file, next: record.next?.[i] }));
  }
  const orphans = [...dataFiles].filter(
    (f) => !referenced.has(f) && f.slice(f.lastIndexOf('/') + 1).startsWith(prefix),
  );
  return { landed, stale, orphans, records };
}

async function readCommit(store: Store, key: string): Promise<CommitRecord | undefined> {
  const bytes = await store.get(key);
  if (!bytes) return undefined;
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as CommitRecord;
  } catch {
    return undefined;
  }
}
