import { encodeParquet } from './encode-parquet.js';
import { asRecordObject, cloneType, observeStruct } from './observe.js';
import { packPage, toColumns, unpackPage, type ColumnValues, type PackedPage } from './parquet-columns.js';
import { ParquetSizeEstimator } from './parquet-size-estimator.js';
import { withProvenance } from './provenance.js';
import { rowGroups } from './row-groups.js';
import { dateToMicros } from './timestamp.js';
import type { BuiltFile, DataType, FileBuilder, Format, Provenance, Schema, StructType } from './types.js';
import { writableSchema } from './writable-type.js';

/** Writes row groups of converted columns of a writable schema as Parquet bytes. */
export type ParquetEncoder = (schema: StructType, groups: Iterable<readonly ColumnValues[]>) => Uint8Array;

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
    private readonly encode: ParquetEncoder = encodeParquet,
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
    if (this.size.shouldCalibrate(this.count)) this.size.calibrate(this.count, this.encodePages(this.pages).length);
  }

  async finish(): Promise<BuiltFile> {
    if (this.done) throw new Error('ParquetBuilder: finish called twice');
    this.done = true;
    const schema = withProvenance(this.schema as Schema);
    const pages = this.pages;
    this.pages = [];
    return { bytes: this.encodePages(pages, true), schema };
  }

  /**
   * Encodes pages with the schema inferred so far, parsing and converting one row group at a time.
   * With `release`, each group's pages are dropped once converted, so they can be collected.
   */
  private encodePages(pages: PackedPage[], release = false): Uint8Array {
    const writable = writableSchema(withProvenance(this.schema as Schema));
    const groups = rowGroups(pages, this.size.bytesPerRecord);
    if (release) pages.length = 0;
    function* columns(): Generator<ColumnValues[]> {
      for (let i = 0; i < groups.length; i++) {
        const group = groups[i];
        if (release) groups[i] = [];
        yield toColumns(writable, group.map(unpackPage));
      }
    }
    return this.encode(writable, columns());
  }
}
