import { toSparkSchema } from '../format/spark-schema.js';
import type { Schema } from '../format/types.js';
import type { Layout } from '../landing/layout.js';
import type { CommitEntry } from '../ledger/block-log.js';
import type { Batch } from './batcher.js';

/**
 * Encodes a batch into its data file's bytes and the commit entry that will name it (block-log.ts). The
 * file's key is unique to this session, so no two sessions ever write the same key.
 */
export async function encodeBatch(
  layout: Layout,
  session: { id: string; executor: number },
  seq: number,
  batch: Batch,
  now: Date,
): Promise<{ entry: CommitEntry; bytes: Uint8Array; schema: Schema }> {
  const { bytes, schema } = await batch.builder.finish();
  const file = layout.dataFile(batch.format, session.id, batch.block, seq, batch.builder.extension);
  const entry: CommitEntry = {
    kind: 'commit',
    session: session.id,
    executor: session.executor,
    format: batch.format,
    file,
    pages: batch.pages,
    records: batch.builder.records,
    bytes: bytes.byteLength,
    at: now.toISOString(),
    schema: toSparkSchema(schema),
    ...(batch.next ? { next: batch.next, cursors: batch.cursors } : {}),
  };
  return { entry, bytes, schema };
}
