import { mergeSchema } from '../format/schema.js';
import { withProvenance } from '../format/provenance.js';
import { fromSparkSchema, toSparkSchema } from '../format/spark-schema.js';
import type { Schema } from '../format/types.js';
import type { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';

/**
 * Writes the dataset's schema.json from the discovery page before any data file lands, so a Spark
 * stream can start on an empty landing zone. Merged with an existing schema, never narrowed.
 */
export async function seedSchema(store: Store, layout: Layout, sample: Schema): Promise<void> {
  let schema = withProvenance(sample);
  const existing = await store.get(layout.schema);
  if (existing) schema = mergeSchema(fromSparkSchema(JSON.parse(Buffer.from(existing).toString('utf8'))), schema);
  await store.put(layout.schema, JSON.stringify(toSparkSchema(schema), null, 1));
}
