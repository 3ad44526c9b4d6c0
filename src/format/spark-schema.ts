/**
 * Internal schema <-> Spark `StructType` JSON, as `StructType.json()` emits it, e.g.
 * `{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]}`.
 * `json` fields are Spark strings; fields never seen with a value are left out (see `writableType`).
 */
import { SCALARS } from './scalars.js';
import type { DataType, Field, Schema } from './types.js';
import { writableSchema } from './writable-type.js';

export type SparkAtomicType = 'long' | 'double' | 'boolean' | 'string' | 'timestamp';
export interface SparkStructField {
  name: string;
  type: SparkDataType;
  nullable: boolean;
  metadata: Record<string, unknown>;
}
export interface SparkStructType {
  type: 'struct';
  fields: SparkStructField[];
}
export interface SparkArrayType {
  type: 'array';
  elementType: SparkDataType;
  containsNull: boolean;
}
export type SparkDataType = SparkAtomicType | SparkStructType | SparkArrayType;

/** The Spark StructType JSON (as an object; `JSON.stringify` it) of a schema. */
export function toSparkSchema(schema: Schema): SparkStructType {
  return sparkType(writableSchema(schema)) as SparkStructType;
}

function sparkType(t: DataType): SparkDataType {
  switch (t.kind) {
    case 'struct':
      // Key order matters: it is the order Spark writes.
      return {
        type: 'struct',
        fields: t.fields.map((f) => ({ name: f.name, type: sparkType(f.type), nullable: true, metadata: {} })),
      };
    case 'list':
      // Spark's own schemas say containsNull: true for arrays of nullable elements; we always allow nulls.
      return { type: 'array', elementType: sparkType(t.element), containsNull: true };
    case 'json':
    case 'null':
      return 'string';
    default:
      return t.kind;
  }
}

/** Atomic Spark type names accepted when reading a schema, and the internal type each becomes. */
const FROM_SPARK: Record<string, DataType> = {
  long: SCALARS.long,
  integer: SCALARS.long,
  short: SCALARS.long,
  byte: SCALARS.long,
  double: SCALARS.double,
  float: SCALARS.double,
  boolean: SCALARS.boolean,
  string: SCALARS.string,
  timestamp: SCALARS.timestamp,
  timestamp_ntz: SCALARS.timestamp,
};

/** The internal schema of a Spark StructType JSON (text or parsed), e.g. an existing `schema.json`. */
export function fromSparkSchema(json: unknown): Schema {
  const value = typeof json === 'string' ? (JSON.parse(json) as unknown) : json;
  const t = fromSpark(value, '$');
  if (t.kind !== 'struct') throw new TypeError('Spark schema: $ must be a struct type');
  return t;
}

function fromSpark(v: unknown, path: string): DataType {
  if (typeof v === 'string') {
    const t = FROM_SPARK[v];
    if (t === undefined) throw new TypeError(`Spark schema: unsupported type ${JSON.stringify(v)} at ${path}`);
    return t;
  }
  if (typeof v !== 'object' || v === null) throw new TypeError(`Spark schema: expected a type at ${path}`);
  const o = v as Record<string, unknown>;
  if (o.type === 'struct' && Array.isArray(o.fields)) {
    const fields: Field[] = o.fields.map((f: unknown, i: number) => {
      const fo = (typeof f === 'object' && f !== null ? f : {}) as Record<string, unknown>;
      if (typeof fo.name !== 'string') throw new TypeError(`Spark schema: field without a name at ${path}.fields[${i}]`);
      return { name: fo.name, type: fromSpark(fo.type, `${path}.${fo.name}`) };
    });
    return { kind: 'struct', fields };
  }
  if (o.type === 'array' && 'elementType' in o) {
    return { kind: 'list', element: fromSpark(o.elementType, `${path}[]`), containsNull: o.containsNull !== false };
  }
  throw new TypeError(`Spark schema: unsupported type ${JSON.stringify(o.type)} at ${path}`);
}
