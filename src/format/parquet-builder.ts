import { PARQUET_BYTES_PER_JSON_BYTE } from './constants.js';
import { encodeParquet } from './encode-parquet.js';
import { asRecordObject, cloneType, observeStruct } from './observe.js';
import { toColumns, type ColumnValues, type HeldPage } from './parquet-columns.js';
import { withProvenance } from './provenance.js';
import { dateToMicros } from './timestamp.js';
import type { BuiltFile, DataType, FileBuilder, Format, Provenance, Schema, StructType } from './types.js';
import { writableSchema } from './writable-type.js';

/** Size estimate: the JSON text of the first pages is measured, then of every 8th page (stringify is costly). */
const SAMPLE_ALL_PAGES = 16;
const SAMPLE_EVERY = 8;
/** Approximate JSON bytes of the provenance fields of one record. */
const PROVENANCE_JSON_BYTES = 90;

/** Writes converted columns of a writable schema as Parquet bytes. */
export type ParquetEncoder = (schema: StructType, columns: readonly ColumnValues[]) => Uint8Array;

/**
 * Typed Parquet: the schema is inferred over all records of the file (merged across pages, optionally
 * starting from a given schema), then rows are written as typed columns with provenance columns
 * appended. Rows are held until `finish`; the executor bounds them by cutting files at `approxBytes`.
 */
export class ParquetBuilder implements FileBuilder {
  readonly format: Format = 'parquet';
  readonly extension = '.parquet';
  private count = 0;
  private pagesAdded = 0;
  private sampledBytes = 0;
  private sampledRecords = 0;
  private pages: HeldPage[] = [];
  private schema: DataType;
  private done = false;

  /** `encode` is replaceable so the benchmark can compare writers on the same pipeline. */
  constructor(
    start?: Schema,
    private readonly encode: ParquetEncoder = encodeParquet,
  ) {
    this.schema = start ? cloneType(start) : { kind: 'struct', fields: [] };
  }

  get records(): number {
    return this.count;
  }

  /** Estimated JSON size of the records (sampled pages) times the measured Parquet/JSON size ratio. */
  get approxBytes(): number {
    if (this.sampledRecords === 0) return 0;
    const jsonBytes = (this.sampledBytes / this.sampledRecords) * this.count;
    return Math.ceil(jsonBytes * PARQUET_BYTES_PER_JSON_BYTE);
  }

  add(records: readonly unknown[], prov: Provenance): void {
    if (this.done) throw new Error('ParquetBuilder: add after finish');
    if (!Number.isSafeInteger(prov.page)) throw new TypeError(`page must be an integer, got ${prov.page}`);
    dateToMicros(prov.fetchedAt); // reject an invalid Date now, not at finish
    if (records.length === 0) return;
    for (const r of records) this.schema = observeStruct(this.schema, asRecordObject(r));
    if (this.pagesAdded++ < SAMPLE_ALL_PAGES || this.pagesAdded % SAMPLE_EVERY === 0) {
      this.sampledBytes += (JSON.stringify(records)?.length ?? 0) + PROVENANCE_JSON_BYTES * records.length;
      this.sampledRecords += records.length;
    }
    this.pages.push({ records: records.slice(), prov: { ...prov } });
    this.count += records.length;
  }

  async finish(): Promise<BuiltFile> {
    if (this.done) throw new Error('ParquetBuilder: finish called twice');
    this.done = true;
    const schema = withProvenance(this.schema as Schema);
    const writable = writableSchema(schema);
    const pages = this.pages;
    this.pages = [];
    const bytes = this.encode(writable, toColumns(writable, pages));
    return { bytes, schema };
  }
}
