import type { SchemaElement } from 'hyparquet-writer';
import type { DataType, StructType } from '../src/format/types.js';

/**
 * The flattened Parquet schema (depth-first `SchemaElement`s, root first) of a writable schema:
 * every field OPTIONAL; long = INT64; double = DOUBLE; boolean = BOOLEAN; string and json = UTF8
 * BYTE_ARRAY; timestamp = INT64 TIMESTAMP(MICROS, isAdjustedToUTC); struct = group; list = the
 * standard 3-level LIST (`<name> (LIST) { repeated group list { optional element } }`).
 */
export function toParquetSchema(schema: StructType): SchemaElement[] {
  const out: SchemaElement[] = [{ name: 'root', num_children: schema.fields.length }];
  for (const f of schema.fields) pushField(out, f.name, f.type);
  return out;
}

function pushField(out: SchemaElement[], name: string, t: DataType): void {
  const repetition_type = 'OPTIONAL';
  switch (t.kind) {
    case 'long':
      out.push({ name, repetition_type, type: 'INT64' });
      return;
    case 'double':
      out.push({ name, repetition_type, type: 'DOUBLE' });
      return;
    case 'boolean':
      out.push({ name, repetition_type, type: 'BOOLEAN' });
      return;
    case 'string':
    case 'json':
      out.push({ name, repetition_type, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } });
      return;
    case 'timestamp':
      out.push({
        name,
        repetition_type,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MICROS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
      });
      return;
    case 'struct':
      out.push({ name, repetition_type, num_children: t.fields.length });
      for (const f of t.fields) pushField(out, f.name, f.type);
      return;
    case 'list':
      out.push({ name, repetition_type, converted_type: 'LIST', logical_type: { type: 'LIST' }, num_children: 1 });
      out.push({ name: 'list', repetition_type: 'REPEATED', num_children: 1 });
      pushField(out, 'element', t.element);
      return;
    case 'null':
      throw new TypeError(`field ${name} has no writable type`);
  }
}
