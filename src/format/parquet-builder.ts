import { parquetSink, type ParquetSink } from './encode-parquet.js';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { asRecordObject, cloneType, observeStruct } from './observe.js';
import { packPage, toColumns, unpackPage, type PackedPage } from './parquet-columns.js';
import { ParquetSizeEstimator } from './parquet-size-estimator.js';
import { withProvenance } from './provenance.js';
import { rowGroups } from './row-groups.js';
import { dateToMicros } from './timestamp.js';
import type { BuiltFile, DataType, FileBuilder, Format, Provenance, Schema, StructType } from './types.js';
import { writableSchema } from './writable-type.js';

/** Opens a Parquet file of a writable schema. */
export type ParquetEncoder = (schema: StructType) => ParquetSink;

/**
 * Typed Parquet: the schema is inferred over all records of the file (merged across pages, optionally
 * starting from a given schema), then rows are written as typed columns with provenance columns
 * appended. Pages are held as JSON text until `finish`; the executor bounds them by cutting files at
 * `approxBytes`.
 */
export class ParquetBuilder implements FileBuilder {
  readonly format: Format = 'parquet';
  readonly extension = '.parquet';
  private count = 0;
  private readonly size = new ParquetSizeEstimator();
  private pages: PackedPage[] = [];
  private schema: DataType;
  private done = false;

  /** `encode` is replaceable so the benchmark can compare writers on the same pipeline. */
  constructor(
    start?: Schema,
    private readonly encode: ParquetEncoder = parquetSink,
  ) {
    this.schema = start ? cloneType(start) : { kind: 'struct', fields: [] };
  }

  get records(): number {
    return this.count;
  }

  /** See `ParquetSizeEstimator`. */
  get approxBytes(): number {
    return this.size.estimate(this.count);
  }

  add(records: readonly unknown[], prov: Provenance): void {
    if (this.done) throw new Error('ParquetBuilder: add after finish');
    if (!Number.isSafeInteger(prov.page)) throw new TypeError(`page must be an integer, got ${prov.page}`);
    dateToMicros(prov.fetchedAt); // reject an invalid Date now, not at finish
    if (records.length === 0) return;
    for (const r of records) this.schema = observeStruct(this.schema, asRecordObject(r));
    const page = packPage(records, prov);
    this.size.addPage(page.json.length, page.count);
    this.pages.push(page);
    this.count += records.length;
    if (this.size.shouldCalibrate(this.count)) this.size.calibrate(this.count, this.encodeSync(this.pages).length);
  }

  /** Encodes row group by row group, yielding to the event loop between groups so fetches keep flowing. */
  async finish(): Promise<BuiltFile> {
    if (this.done) throw new Error('ParquetBuilder: finish called twice');
    this.done = true;
    const schema = withProvenance(this.schema as Schema);
    const writable = writableSchema(schema);
    const groups = rowGroups(this.pages, this.size.bytesPerRecord);
    this.pages = [];
    const sink = this.encode(writable);
    for (let i = 0; i < groups.length; i++) {
      await yieldToEventLoop();
      const group = groups[i];
      groups[i] = []; // released once converted
      sink.writeRowGroup(toColumns(writable, group.map(unpackPage)));
    }
    return { bytes: sink.finish(), schema };
  }

  /** The file the pages make with the schema inferred so far (for calibration; keeps the pages). */
  private encodeSync(pages: readonly PackedPage[]): Uint8Array {
    const writable = writableSchema(withProvenance(this.schema as Schema));
    const sink = this.encode(writable);
    for (const group of rowGroups(pages, this.size.bytesPerRecord)) sink.writeRowGroup(toColumns(writable, group.map(unpackPage)));
    return sink.finish();
  }
}
