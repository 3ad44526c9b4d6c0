import { SCALARS } from './scalars.js';
import type { DataType, Field, StructType } from './types.js';

/**
 * The type as it is written to Parquet and declared to Spark. Neither can store "type unknown", so:
 * a field never seen with a value (`null`, or a struct with no such field) is left out (Spark reads a
 * missing column as null); a list whose element type is unknown gets `json` (string) elements.
 * Returns `undefined` when nothing of `t` can be written.
 */
export function writableType(t: DataType): DataType | undefined {
  switch (t.kind) {
    case 'null':
      return undefined;
    case 'struct': {
      const fields: Field[] = [];
      for (const f of (t as StructType).fields) {
        const w = writableType(f.type);
        if (w !== undefined) fields.push({ name: f.name, type: w });
      }
      return fields.length ? { kind: 'struct', fields } : undefined;
    }
    case 'list':
      return { kind: 'list', element: writableType(t.element) ?? SCALARS.json, containsNull: t.containsNull };
    default:
      return t;
  }
}

/** `writableType` of a record schema; it always keeps at least the provenance columns. */
export function writableSchema(schema: StructType): StructType {
  return (writableType(schema) as StructType | undefined) ?? { kind: 'struct', fields: [] };
}
