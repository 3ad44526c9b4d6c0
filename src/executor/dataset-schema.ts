import { mergeSchema } from '../format/schema.js';
import { withProvenance } from '../format/provenance.js';
import { fromSparkSchema, toSparkSchema } from '../format/spark-schema.js';
import type { Schema } from '../format/types.js';
import type { Layout } from '../landing/layout.js';
import { readJsonEntry } from '../landing/read-json-entry.js';
import type { Store } from '../landing/types.js';

/**
 * The dataset's schema, `_pagefleet/<dataset>/schema.json`: the Spark StructType the reader streams with,
 * kept a superset of every file landed (docs/design.md, "Landing layout" and "Invariants": one schema).
 *
 * - `seed`: the first plan of a run merges the discovery page's schema in before any file lands, so a
 *   Spark stream can start on an empty landing zone.
 * - `observe`: each executor merges every file it lands. It also keeps its own
 *   `run_id=<run>/schemas/eNNN.json`, and rewrites the dataset schema as the merge of the current one and
 *   all of the run's executor schemas, so two executors updating at once cannot drop each other's columns
 *   for good: the next update restores them.
 *
 * Never narrowed: every write merges with what is on disk. A schema file that is not a Spark schema is
 * an error naming the file (readJsonEntry), not a crash and not silently replaced.
 */
export class DatasetSchema {
  private schema: Schema | undefined;
  /** The executor schema last written by `observe` (JSON), to skip writes when nothing changed. */
  private written = '';

  constructor(
    private readonly store: Store,
    private readonly layout: Layout,
  ) {}

  /** The dataset's current schema, for new files to start from. */
  get current(): Schema | undefined {
    return this.schema;
  }

  async load(): Promise<void> {
    this.schema = await readSchema(this.store, this.layout.schema);
  }

  /** Merges a discovery page's record schema (with the provenance columns) into schema.json. */
  async seed(sample: Schema): Promise<void> {
    await this.load();
    this.schema = this.merged(withProvenance(sample));
    await this.store.put(this.layout.schema, JSON.stringify(toSparkSchema(this.schema), null, 1));
  }

  /** Merges a file `executor` landed; writes only if something changed. */
  async observe(fileSchema: Schema, executor: number): Promise<void> {
    this.schema = this.merged(fileSchema);
    const json = JSON.stringify(toSparkSchema(this.schema));
    if (json === this.written) return;
    await this.store.put(this.layout.executorSchema(executor), json);
    let merged = this.schema;
    for (const key of await this.store.list(this.layout.schemasDir)) {
      const other = await readSchema(this.store, key);
      if (other) merged = mergeSchema(merged, other);
    }
    const onDisk = await readSchema(this.store, this.layout.schema);
    if (onDisk) merged = mergeSchema(onDisk, merged);
    await this.store.put(this.layout.schema, JSON.stringify(toSparkSchema(merged), null, 1));
    this.written = json;
  }

  private merged(schema: Schema): Schema {
    return this.schema ? mergeSchema(this.schema, schema) : schema;
  }
}

function readSchema(store: Store, key: string): Promise<Schema | undefined> {
  return readJsonEntry(store, key, { parse: fromSparkSchema, expected: 'a Spark schema (StructType JSON)' });
}
