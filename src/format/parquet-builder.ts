import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { FILE_EXTENSION, PARQUET_BYTES_PER_JSON_BYTE, PROVENANCE_JSON_BYTES, ROW_GROUP_JSON_BYTES, ROW_GROUP_MAX_ROWS } from './constants.js';
import { parquetStream, type ParquetStream } from './encode-parquet.js';
import { WriteChain } from './write-chain.js';
import { cloneType } from './observe.js';
import { toColumns } from './parquet-columns.js';
import { withProvenance } from './provenance.js';
import { mergeSchema } from './schema.js';
import { dateToMicros } from './timestamp.js';
import type { ByteSink, FileBuilderOptions, BuiltFile, FileBuilder, Format, PageInput, Schema, StructType } from './types.js';
import { writableSchema } from './writable-type.js';

/** Opens a Parquet stream of a writable schema (replaceable so the benchmark can compare writers). */
export type ParquetEncoder = (schema: StructType) => ParquetStream;

/** The columns a file is written with, fixed by its first row group. */
interface FrozenColumns {
  writable: StructType;
  key: string;
  stream: ParquetStream;
}

/**
 * Typed Parquet, streamed: pages are held as parsed records only until they fill a row group (at most
 * `ROW_GROUP_JSON_BYTES` of JSON or `ROW_GROUP_MAX_ROWS` rows, in whole pages), which is then converted to
 * typed columns, encoded and written to the upload. Memory is one row group, whatever the file size.
 *
 * The columns are those of the schema seen when the first row group is written (the dataset's schema,
 * merged with every page added so far). A later page that would add a column or widen one does not
 * `fit`: the caller starts a new file for it.
 */
export class ParquetBuilder implements FileBuilder {
  readonly format: Format = 'parquet';
  readonly extension = FILE_EXTENSION.parquet;
  private count = 0;
  private schema: Schema;
  private frozen: FrozenColumns | undefined;
  private group: PageInput[] = [];
  private groupRows = 0;
  private groupJsonBytes = 0;
  /** JSON bytes of the records in row groups already written, for the size ratio. */
  private writtenJsonBytes = 0;
  /** Row groups reach the upload in order, without holding up the caller while little waits. */
  private readonly writes: WriteChain;
  /** JSON bytes of row groups taken for writing whose bytes have not reached the upload yet. */
  private inFlightJsonBytes = 0;
  private done = false;

  constructor(
    private readonly out: ByteSink,
    options: FileBuilderOptions = {},
    private readonly encode: ParquetEncoder = parquetStream,
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
    return Math.ceil(this.out.bytes + (this.groupJsonBytes + this.inFlightJsonBytes) * ratio);
  }

  fits(pageSchema: StructType): boolean {
    return !this.frozen || writableKey(mergeSchema(this.schema, pageSchema)) === this.frozen.key;
  }

  add(page: PageInput): void {
    if (this.done) throw new Error('ParquetBuilder: add after finish');
    if (!Number.isSafeInteger(page.prov.page)) throw new TypeError(`page must be an integer, got ${page.prov.page}`);
    dateToMicros(page.prov.fetchedAt); // reject an invalid Date now, not when the row group is written
    const merged = mergeSchema(this.schema, page.schema); // merged once: checked, then kept
    if (this.frozen && writableKey(merged) !== this.frozen.key) throw new Error('ParquetBuilder: a page that does not fit (ask fits() first)');
    if (page.records.length === 0) return;
    this.schema = merged;
    this.group.push(page);
    this.groupRows += page.records.length;
    this.groupJsonBytes += pageJsonBytes(page);
    this.count += page.records.length;
  }

  flush(): Promise<void> {
    return this.writes.push(async () => {
      while (this.groupFull) await this.writeGroup();
    });
  }

  async finish(): Promise<BuiltFile> {
    if (this.done) throw new Error('ParquetBuilder: finish called twice');
    this.done = true;
    void this.writes.push(async () => {
      do await this.writeGroup();
      while (this.group.length > 0);
      this.frozen!.stream.finish();
      await this.writeChunks();
    }).catch(() => {}); // a failure is thrown by drain()
    await this.writes.drain();
    return { bytes: this.out.bytes, schema: withProvenance(this.schema) };
  }

  private get groupFull(): boolean {
    return this.groupJsonBytes >= ROW_GROUP_JSON_BYTES || this.groupRows >= ROW_GROUP_MAX_ROWS;
  }

  /** Takes the oldest pending pages as one row group (whole pages, within the bounds): converted, encoded, written. */
  private async writeGroup(): Promise<void> {
    let take = 0;
    let rows = 0;
    let json = 0;
    while (take < this.group.length && (take === 0 || (rows < ROW_GROUP_MAX_ROWS && json < ROW_GROUP_JSON_BYTES))) {
      rows += this.group[take].records.length;
      json += pageJsonBytes(this.group[take]);
      take++;
    }
    const pages = this.group.splice(0, take);
    this.groupRows -= rows;
    this.groupJsonBytes -= json;
    this.inFlightJsonBytes += json;
    this.frozen ??= this.freeze();
    const columns = toColumns(this.frozen.writable, pages);
    await yieldToEventLoop();
    this.frozen.stream.writeRowGroup(columns);
    await this.writeChunks();
    this.inFlightJsonBytes -= json;
    this.writtenJsonBytes += json;
  }

  private freeze(): FrozenColumns {
    const writable = writableSchema(withProvenance(this.schema));
    return { writable, key: JSON.stringify(writable), stream: this.encode(writable) };
  }

  private async writeChunks(): Promise<void> {
    for (const chunk of this.frozen!.stream.takeChunks()) await this.out.write(chunk);
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
