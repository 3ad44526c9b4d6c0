import { isIsoTimestamp } from './timestamp.js';
import { SCALARS } from './scalars.js';
import type { DataType, Field, ScalarKind, StructType } from './types.js';

/** Smallest and largest int64, as doubles: integers outside are inferred as `double`. */
const INT64_MIN = -9223372036854775808;
const INT64_MAX = 9223372036854775807;

/** A record as an object: JSON objects as they are, anything else as `{value: record}`. */
export function asRecordObject(record: unknown): Record<string, unknown> {
  return isPlainObject(record) ? record : { value: record };
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/**
 * Widens `t` so that it also describes `v`, and returns it. Struct and list nodes reachable from `t`
 * must belong to the caller (they are updated in place): use `cloneType` on trees you do not own.
 */
export function observe(t: DataType, v: unknown): DataType {
  if (v === null || v === undefined) return t;
  if (t.kind === 'json') return t;
  switch (typeof v) {
    case 'boolean':
      return widenScalar(t, 'boolean');
    case 'number':
      return widenScalar(t, Number.isInteger(v) && v >= INT64_MIN && v < INT64_MAX ? 'long' : 'double');
    case 'bigint':
      return widenScalar(t, v >= -(2n ** 63n) && v < 2n ** 63n ? 'long' : 'string');
    case 'string':
      if (t.kind === 'string') return t; // timestamp + string = string: no need to look
      return widenScalar(t, isIsoTimestamp(v) ? 'timestamp' : 'string');
    case 'object':
      if (v instanceof Date) return widenScalar(t, 'timestamp');
      if (Array.isArray(v)) return observeList(t, v);
      return observeStruct(t, v as Record<string, unknown>);
    default:
      return SCALARS.json; // functions, symbols: not JSON data; keep whatever JSON.stringify makes of them
  }
}

/** Adds the fields of one record object to a struct node the caller owns. */
export function observeStruct(t: DataType, obj: Record<string, unknown>): DataType {
  if (t.kind === 'null') t = { kind: 'struct', fields: [] };
  if (t.kind !== 'struct') return SCALARS.json;
  const index = fieldIndex(t);
  for (const name in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, name)) continue;
    const value = obj[name];
    let field = index.get(name);
    if (field === undefined) {
      field = { name, type: SCALARS.null };
      t.fields.push(field);
      index.set(name, field);
    }
    field.type = observe(field.type, value);
  }
  return t;
}

function observeList(t: DataType, arr: readonly unknown[]): DataType {
  if (t.kind === 'null') t = { kind: 'list', element: SCALARS.null, containsNull: false };
  if (t.kind !== 'list') return SCALARS.json;
  for (const e of arr) {
    if (e === null || e === undefined) t.containsNull = true;
    else t.element = observe(t.element, e);
  }
  return t;
}

/** Scalar widening: null+X=X, long+double=double, timestamp+string=string, other conflicts=json. */
export function widenScalar(t: DataType, kind: ScalarKind): DataType {
  if (t.kind === kind) return t;
  switch (t.kind) {
    case 'null':
      return SCALARS[kind];
    case 'long':
      return kind === 'double' ? SCALARS.double : SCALARS.json;
    case 'double':
      return kind === 'long' ? t : SCALARS.json;
    case 'timestamp':
      return kind === 'string' ? SCALARS.string : SCALARS.json;
    case 'string':
      return kind === 'timestamp' ? t : SCALARS.json;
    default:
      return SCALARS.json;
  }
}

/** Deep copy of struct and list nodes (scalars are shared). */
export function cloneType(t: DataType): DataType {
  if (t.kind === 'struct') return { kind: 'struct', fields: t.fields.map((f) => ({ name: f.name, type: cloneType(f.type) })) };
  if (t.kind === 'list') return { kind: 'list', element: cloneType(t.element), containsNull: t.containsNull };
  return t;
}

/** Name -> field lookup for struct nodes being observed, kept outside the plain-data tree. */
const indexes = new WeakMap<StructType, Map<string, Field>>();

function fieldIndex(t: StructType): Map<string, Field> {
  let index = indexes.get(t);
  if (index === undefined || index.size !== t.fields.length) {
    index = new Map(t.fields.map((f) => [f.name, f]));
    indexes.set(t, index);
  }
  return index;
}
