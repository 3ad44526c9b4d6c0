/** Bench helper: records transposed into converted columns, for the writers pagefleet is compared with. */
import { convertValue } from './convert-value.js';
import { asRecordObject } from '../src/format/observe.js';
import type { ParquetStream } from '../src/format/parquet/file-writer.js';
import type { HeldPage } from '../src/format/parquet/columns.js';
import { dateToMicros } from '../src/format/timestamp.js';
import type { StructType } from '../src/format/types.js';
import { ownValue } from '../src/format/values.js';

/** One top-level column: its name and one converted value per row (see `convertValue`). */
export interface ColumnValues {
  name: string;
  data: unknown[];
}

/** A writer that takes row groups of converted columns (hyparquet-writer, parquet-wasm). */
export interface ColumnsEncoder {
  /** Encodes one row group of converted columns (in schema order). */
  writeRowGroup(columns: readonly ColumnValues[]): void;
  /** Encodes the footer. */
  finish(): void;
  /** The bytes encoded since the last call, in file order. */
  takeChunks(): Uint8Array[];
}

/** A columns encoder as a ParquetStream: it holds the open row group's pages and converts them when it ends. */
export function columnsStream(schema: StructType, encoder: ColumnsEncoder): ParquetStream {
  let pages: HeldPage[] = [];
  let rows = 0;
  const endRowGroup = () => {
    if (rows > 0) encoder.writeRowGroup(toColumns(schema, pages));
    pages = [];
    rows = 0;
  };
  return {
    addPage(page) {
      pages.push(page);
      rows += page.records.length;
    },
    get rows() {
      return rows;
    },
    endRowGroup,
    finish() {
      endRowGroup();
      encoder.finish();
    },
    takeChunks: () => encoder.takeChunks(),
  };
}

/**
 * Transposes pages of records into converted top-level columns of a writable schema whose last three
 * fields are the provenance columns (see `withProvenance`).
 */
export function toColumns(schema: StructType, pages: readonly HeldPage[]): ColumnValues[] {
  const rows = pages.reduce((n, p) => n + p.records.length, 0);
  const columns: ColumnValues[] = schema.fields.map((f) => ({ name: f.name, data: new Array<unknown>(rows) }));
  const own = schema.fields.slice(0, -3);
  const [runId, page, fetchedAt] = columns.slice(-3).map((c) => c.data);
  let i = 0;
  for (const p of pages) {
    const pageNo = BigInt(p.prov.page);
    const fetched = dateToMicros(p.prov.fetchedAt);
    for (const r of p.records) {
      const rec = asRecordObject(r);
      for (let j = 0; j < own.length; j++) columns[j].data[i] = convertValue(own[j].type, ownValue(rec, own[j].name));
      runId[i] = p.prov.runId;
      page[i] = pageNo;
      fetchedAt[i] = fetched;
      i++;
    }
  }
  return columns;
}
