import { toSparkSchema } from '../format/spark-schema.js';
import type { Schema } from '../format/types.js';
import type { CommitEntry } from '../ledger/block-log.js';
import type { Batch } from './batcher.js';

/**
 * Writes the rest of a batch's file into its upload (not yet visible) and returns the commit entry that will
 * name it (block-log.ts). The file's key is unique to this session, so no two sessions ever write the same key.
 */
export async function finishBatch(
  session: { id: string; executor: number },
  batch: Batch,
  now: () => Date,
): Promise<{ entry: CommitEntry; schema: Schema }> {
  const { bytes, schema } = await batch.builder.finish();
  const entry: CommitEntry = {
    kind: 'commit',
    session: session.id,
    executor: session.executor,
    format: batch.format,
    file: batch.upload.key,
    pages: batch.pages,
    records: batch.builder.records,
    bytes,
    at: now().toISOString(),
    schema: toSparkSchema(schema),
    ...(batch.next ? { next: batch.next, cursors: batch.cursors } : {}),
  };
  return { entry, schema };
}
