import { mergeSchema } from '../format/schema.js';
import { fromSparkSchema, toSparkSchema } from '../format/spark-schema.js';
import type { Schema } from '../format/types.js';
import type { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';

/**
 * Keeps `_pagefleet/<dataset>/schema.json` (the Spark StructType the reader streams with) a superset of
 * every file landed. Each executor also keeps its own `run_id=<run>/schemas/eNNN.json`, and rewrites
 * the dataset schema as the merge of the current one and all of the run's executor schemas, so two
 * executors updating at once cannot drop each other's columns for good: the next update restores them.
 */
export class SchemaTracker {
  private schema: Schema | undefined;
  private written = '';

  constructor(
    private readonly store: Store,
    private readonly layout: Layout,
    private readonly executor: number,
  ) {}

  /** The dataset's current schema, for new files to start from. */
  get current(): Schema | undefined {
    return this.schema;
  }

  async load(): Promise<void> {
    this.schema = await readSchema(this.store, this.layout.schema);
  }

  /** Merges a landed file's schema; writes only if something changed. */
  async observe(fileSchema: Schema): Promise<void> {
    this.schema = this.schema ? mergeSchema(this.schema, fileSchema) : fileSchema;
    const json = JSON.stringify(toSparkSchema(this.schema));
    if (json === this.written) return;
    await this.store.put(`${this.layout.controlDir}/schemas/e${String(this.executor).padStart(3, '0')}.json`, json);
    let merged = this.schema;
    for (const key of await this.store.list(`${this.layout.controlDir}/schemas`)) {
      const other = await readSchema(this.store, key);
      if (other) merged = mergeSchema(merged, other);
    }
    const onDisk = await readSchema(this.store, this.layout.schema);
    if (onDisk) merged = mergeSchema(onDisk, merged);
    await this.store.put(this.layout.schema, JSON.stringify(toSparkSchema(merged), null, 1));
    this.written = json;
  }
}

async function readSchema(store: Store, key: string): Promise<Schema | undefined> {
  const bytes = await store.get(key);
  if (!bytes) return undefined;
  try {
    return fromSparkSchema(JSON.parse(Buffer.from(bytes).toString('utf8')));
  } catch {
    return undefined;
  }
}
