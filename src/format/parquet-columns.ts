import { convertValue, ownValue } from './convert-value.js';
import { asRecordObject } from './observe.js';
import { dateToMicros } from './timestamp.js';
import type { Provenance, StructType } from './types.js';

/** One page of records and where they came from. */
export interface HeldPage {
  records: readonly unknown[];
  prov: Provenance;
}

/** One top-level column: its name and one converted value per row (see `convertValue`). */
export interface ColumnValues {
  name: string;
  data: unknown[];
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
