import { FILE_EXTENSION, PARQUET_BYTES_PER_JSON_BYTE, PROVENANCE_JSON_BYTES, ROW_GROUP_JSON_BYTES, ROW_GROUP_MAX_ROWS } from './constants.js';
import { cloneType } from './observe.js';
import { parquetFileWriter, type ParquetStream } from './parquet/file-writer.js';
import { SNAPPY } from './parquet/snappy.js';
import { withProvenance } from './provenance.js';
import { mergeSchema } from './schema.js';
import type { ByteSink, FileBuilderOptions, BuiltFile, FileBuilder, Format, PageInput, Schema, StructType } from './types.js';
import { writableSchema } from './writable-type.js';
import { WriteChain } from './write-chain.js';

/** Opens a Parquet stream of a writable schema (replaceable so the benchmark can compare writers). */
export type ParquetEncoder = (schema: StructType) => ParquetStream;

const defaultEncoder: ParquetEncoder = (schema) => parquetFileWriter(schema, SNAPPY);

/** The columns a file is written with, fixed by its first row group. */
interface FrozenColumns {
  writable: StructType;
  key: string;
  stream: ParquetStream;
}

/**
 * Typed Parquet, streamed: a row group holds at most `ROW_GROUP_JSON_BYTES` of JSON or
 * `ROW_GROUP_MAX_ROWS` rows (in whole pages); once full, `flush` encodes it and writes it to the upload.
 * Memory is one row group, whatever the file size.
 *
 * The columns are those of the schema seen when the first row group is written (the dataset's schema,
 * merged with every page added so far), so pages are held as parsed records until then. From then on each
 * page is shredded into the columns as it is added, and its records can be collected at once. A later page
 * that would add a column or widen one does not `fit`: the caller starts a new file for it.
 */
export class ParquetBuilder implements FileBuilder {
  readonly format: Format = 'parquet';
  readonly extension = FILE_EXTENSION.parquet;
  private count = 0;
  private schema: Schema;
  private frozen: FrozenColumns | undefined;
  /** Pages added before the columns are frozen. */
  private held: PageInput[] = [];
  /** Rows and JSON bytes of the open row group (held or shredded). */
  private openRows = 0;
  private openJsonBytes = 0;
  /** JSON bytes of the records in row groups already written, for the size ratio. */
  private writtenJsonBytes = 0;
  /** Row groups reach the upload in order, without holding up the caller while little waits. */
  private readonly writes: WriteChain;
  /** JSON bytes of row groups encoded whose bytes have not reached the upload yet. */
  private inFlightJsonBytes = 0;
  /** A page that could not be shredded: this file fails at its next flush or finish. */
  private failure: { error: unknown } | undefined;
  private done = false;

  constructor(
    private readonly out: ByteSink,
    options: FileBuilderOptions = {},
    private readonly encode: ParquetEncoder = defaultEncoder,
  ) {
    this.schema = options.schema ? (cloneType(options.schema) as Schema) : { kind: 'struct', fields: [] };
    this.writes = new WriteChain(options.writesAhead);
  }

  get records(): number {
    return this.count;
  }

  /** Bytes written, plus the pending records at the ratio of the row groups written so far. */
  get approxBytes(): number {
    const ratio = this.writtenJsonBytes > 0 ? this.out.bytes / this.writtenJsonBytes : PARQUET_BYTES_PER_JSON_BYTE;
    return Math.ceil(this.out.bytes + (this.openJsonBytes + this.inFlightJsonBytes) * ratio);
  }

  fits(pageSchema: StructType): boolean {
    return !this.frozen || writableKey(mergeSchema(this.schema, pageSchema)) === this.frozen.key;
  }

  add(page: PageInput): void {
    if (this.done) throw new Error('ParquetBuilder: add after finish');
    if (!Number.isSafeInteger(page.prov.page)) throw new TypeError(`page must be an integer, got ${page.prov.page}`);
    if (!Number.isFinite(page.prov.fetchedAt.getTime())) throw new RangeError('fetchedAt: invalid Date');
    const merged = mergeSchema(this.schema, page.schema); // merged once: checked, then kept
    if (this.frozen && writableKey(merged) !== this.frozen.key) throw new Error('ParquetBuilder: a page that does not fit (ask fits() first)');
    if (page.records.length === 0) return;
    this.schema = merged;
    if (!this.frozen) this.held.push(page);
    else if (!this.failure) {
      try {
        this.frozen.stream.addPage(page);
      } catch (error) {
        this.failure = { error };
      }
    }
    this.openRows += page.records.length;
    this.openJsonBytes += pageJsonBytes(page);
    this.count += page.records.length;
  }

  flush(): Promise<void> {
    return this.writes.push(async () => {
      if (this.openJsonBytes >= ROW_GROUP_JSON_BYTES || this.openRows >= ROW_GROUP_MAX_ROWS) await this.writeOpenGroup(false);
    });
  }

  async finish(): Promise<BuiltFile> {
    if (this.done) throw new Error('ParquetBuilder: finish called twice');
    this.done = true;
    void this.writes.push(() => this.writeOpenGroup(true)).catch(() => {}); // a failure is thrown by drain()
    await this.writes.drain();
    return { bytes: this.out.bytes, schema: withProvenance(this.schema) };
  }

  /** Encodes the open row group (and the footer, if `last`) and writes the bytes to the upload. */
  private async writeOpenGroup(last: boolean): Promise<void> {
    if (this.failure) throw this.failure.error;
    const json = this.openJsonBytes;
    const stream = (this.frozen ??= this.freeze()).stream;
    this.shredHeld(stream);
    if (last) stream.finish();
    else stream.endRowGroup();
    this.openRows = 0;
    this.openJsonBytes = 0;
    this.inFlightJsonBytes += json;
    for (const chunk of stream.takeChunks()) await this.out.write(chunk);
    this.inFlightJsonBytes -= json;
    this.writtenJsonBytes += json;
  }

  /** Shreds the pages held until the columns were frozen, in row groups within the bounds. */
  private shredHeld(stream: ParquetStream): void {
    let json = 0;
    for (const page of this.held.splice(0)) {
      if (stream.rows > 0 && (json >= ROW_GROUP_JSON_BYTES || stream.rows >= ROW_GROUP_MAX_ROWS)) {
        stream.endRowGroup();
        json = 0;
      }
      stream.addPage(page);
      json += pageJsonBytes(page);
    }
  }

  private freeze(): FrozenColumns {
    const writable = writableSchema(withProvenance(this.schema));
    return { writable, key: JSON.stringify(writable), stream: this.encode(writable) };
  }
}

/** A page's JSON size with its provenance fields. */
function pageJsonBytes(page: PageInput): number {
  return page.jsonBytes + PROVENANCE_JSON_BYTES * page.records.length;
}

/** What identifies a file's columns: its writable schema with the provenance columns. */
function writableKey(schema: Schema): string {
  return JSON.stringify(writableSchema(withProvenance(schema)));
}
