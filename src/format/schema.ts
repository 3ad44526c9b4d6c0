/**
 * Schema inference and merging (pure). Widening rules, used both when a file's records are observed
 * and when two schemas are merged:
 * - null + X = X; long + double = double; timestamp + string = string;
 * - struct + struct = union of fields in first-seen order (all nullable);
 * - list + list = list of the merged element (`containsNull` if either has nulls);
 * - any other conflict (long vs string, struct vs scalar, list vs scalar...) = `json`: a string
 *   column holding each value's JSON text (strings as they are), so no value is ever dropped.
 */
import { asRecordObject, cloneType, observeStruct, widenScalar } from './observe.js';
import { SCALARS } from './scalars.js';
import type { DataType, Field, Schema } from './types.js';

/** Infers the schema of `records`; a non-object record counts as `{value: record}`. */
export function inferSchema(records: Iterable<unknown>, start?: Schema): Schema {
  let t: DataType = start ? cloneType(start) : { kind: 'struct', fields: [] };
  for (const r of records) t = observeStruct(t, asRecordObject(r));
  return t as Schema;
}

/** The schema describing records of both `a` and `b`. */
export function mergeSchema(a: Schema, b: Schema): Schema {
  return mergeType(a, b) as Schema;
}

/** The type describing values of both `a` and `b` (see the rules above). Inputs are not modified. */
export function mergeType(a: DataType, b: DataType): DataType {
  if (a.kind === 'null') return cloneType(b);
  if (b.kind === 'null') return cloneType(a);
  if (a.kind === 'struct' && b.kind === 'struct') {
    const fields: Field[] = a.fields.map((f) => {
      const other = b.fields.find((g) => g.name === f.name);
      return { name: f.name, type: other ? mergeType(f.type, other.type) : cloneType(f.type) };
    });
    for (const g of b.fields) {
      if (!a.fields.some((f) => f.name === g.name)) fields.push({ name: g.name, type: cloneType(g.type) });
    }
    return { kind: 'struct', fields };
  }
  if (a.kind === 'list' && b.kind === 'list') {
    return { kind: 'list', element: mergeType(a.element, b.element), containsNull: a.containsNull || b.containsNull };
  }
  if (a.kind === 'struct' || a.kind === 'list' || b.kind === 'struct' || b.kind === 'list') return SCALARS.json;
  return widenScalar(a, b.kind);
}
