import { SCALARS } from './scalars.js';
import type { Field, Schema } from './types.js';

/** Provenance column names, in the order they are appended after a record's own fields. */
export const PROVENANCE_COLUMNS = ['_pf_run_id', '_pf_page', '_pf_fetched_at'] as const;

const RESERVED = new Set<string>(PROVENANCE_COLUMNS);

/** True for the names of provenance columns. A record's own field of that name is replaced. */
export function isProvenanceColumn(name: string): boolean {
  return RESERVED.has(name);
}

/** The record schema with provenance fields appended (a record's own fields of those names dropped). */
export function withProvenance(recordSchema: Schema): Schema {
  const fields: Field[] = recordSchema.fields.filter((f) => !RESERVED.has(f.name));
  fields.push(
    { name: '_pf_run_id', type: SCALARS.string },
    { name: '_pf_page', type: SCALARS.long },
    { name: '_pf_fetched_at', type: SCALARS.timestamp },
  );
  return { kind: 'struct', fields };
}
