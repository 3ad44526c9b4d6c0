import type { Schema } from '../format/types.js';
import type { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';
import type { CommitRecord } from '../ledger/types.js';
import type { Batch } from './batcher.js';

export interface Committed {
  key: string;
  pages: number[];
  records: number;
  bytes: number;
  schema: Schema;
}

/**
 * Lands one batch: (1) the commit record naming the file and its pages, (2) the data file, atomically.
 * A crash after (1) leaves a record without a file: its pages have not landed and will be fetched again.
 * A crash after (2) leaves a landed file whose ledger lines are missing: the next start reconciles them.
 * The file's name is derived from its pages, so writing the same pages again replaces, never duplicates.
 */
export async function commitBatch(store: Store, layout: Layout, executor: number, batch: Batch): Promise<Committed> {
  const { bytes, schema } = await batch.builder.finish();
  const key = layout.dataFile(batch.format, executor, batch.pages, batch.builder.extension);
  const record: CommitRecord = {
    file: key,
    format: batch.format,
    executor,
    pages: batch.pages,
    records: batch.builder.records,
    bytes: bytes.byteLength,
    committed_at: new Date().toISOString(),
    ...(batch.next ? { next: batch.next } : {}),
  };
  await store.put(layout.commit(key), JSON.stringify(record));
  await store.put(key, bytes);
  return { key, pages: batch.pages, records: batch.builder.records, bytes: bytes.byteLength, schema };
}
