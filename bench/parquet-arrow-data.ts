/**
 * Bench helper: typed Apache Arrow data built column by column (no tableFromJSON guessing) from the
 * converted columns of a writable schema, for the parquet-wasm candidate.
 */
import {
  Bool, Field as ArrowField, Float64, Int64, List, RecordBatch, Schema as ArrowSchema, Struct, Table,
  TimestampMicrosecond, Utf8, makeData, type Data, type DataType as ArrowType,
} from 'apache-arrow';
import type { ColumnValues } from './parquet-columns.js';
import type { DataType, StructType } from '../src/format/types.js';

/** The Arrow type of a writable internal type. */
export function arrowType(t: DataType): ArrowType {
  switch (t.kind) {
    case 'long': return new Int64();
    case 'double': return new Float64();
    case 'boolean': return new Bool();
    case 'string': case 'json': return new Utf8();
    case 'timestamp': return new TimestampMicrosecond('UTC');
    case 'struct': return new Struct(t.fields.map((f) => new ArrowField(f.name, arrowType(f.type), true)));
    case 'list': return new List(new ArrowField('element', arrowType(t.element), true));
    default: throw new TypeError(`no arrow type for ${t.kind}`);
  }
}

/** A table of one record batch per group of converted columns. */
export function arrowTable(schema: StructType, groups: Iterable<readonly ColumnValues[]>): Table {
  const fields = schema.fields.map((f) => new ArrowField(f.name, arrowType(f.type), true));
  const arrowSchema = new ArrowSchema(fields);
  const batches: RecordBatch[] = [];
  for (const columns of groups) {
    const rows = columns[0]?.data.length ?? 0;
    const children = schema.fields.map((f, i) => arrowData(f.type, columns[i].data));
    batches.push(new RecordBatch(arrowSchema, makeData({ type: new Struct(fields), length: rows, nullCount: 0, children })));
  }
  return new Table(arrowSchema, batches);
}

function validity(values: readonly unknown[]): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array((values.length + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null || values[i] === undefined) nullCount++;
    else nullBitmap[i >> 3] |= 1 << (i & 7);
  }
  return { nullBitmap, nullCount };
}

function arrowData(t: DataType, values: readonly unknown[]): Data {
  const length = values.length;
  const { nullBitmap, nullCount } = validity(values);
  const type = arrowType(t) as never;
  switch (t.kind) {
    case 'long':
    case 'timestamp': {
      const data = new BigInt64Array(length);
      for (let i = 0; i < length; i++) if (values[i] != null) data[i] = values[i] as bigint;
      return makeData({ type, length, nullCount, nullBitmap, data } as never);
    }
    case 'double': {
      const data = new Float64Array(length);
      for (let i = 0; i < length; i++) if (values[i] != null) data[i] = values[i] as number;
      return makeData({ type, length, nullCount, nullBitmap, data } as never);
    }
    case 'boolean': {
      const data = new Uint8Array((length + 7) >> 3);
      for (let i = 0; i < length; i++) if (values[i] === true) data[i >> 3] |= 1 << (i & 7);
      return makeData({ type, length, nullCount, nullBitmap, data } as never);
    }
    case 'string':
    case 'json': {
      // One UTF-8 encode of all strings joined; offsets from per-string byte lengths.
      const strs = values.map((v) => (v == null ? '' : (v as string)));
      const valueOffsets = new Int32Array(length + 1);
      for (let i = 0; i < length; i++) valueOffsets[i + 1] = valueOffsets[i] + Buffer.byteLength(strs[i], 'utf8');
      const data = Buffer.from(strs.join(''), 'utf8');
      return makeData({ type, length, nullCount, nullBitmap, data, valueOffsets } as never);
    }
    case 'struct': {
      const children = t.fields.map((f) => arrowData(f.type, values.map((v) => (v == null ? null : (v as Record<string, unknown>)[f.name]))));
      return makeData({ type, length, nullCount, nullBitmap, children } as never);
    }
    case 'list': {
      const valueOffsets = new Int32Array(length + 1);
      const flat: unknown[] = [];
      for (let i = 0; i < length; i++) {
        const v = values[i] as unknown[] | null;
        if (v) for (const e of v) flat.push(e);
        valueOffsets[i + 1] = flat.length;
      }
      return makeData({ type, length, nullCount, nullBitmap, valueOffsets, child: arrowData(t.element, flat) } as never);
    }
    default:
      throw new TypeError(`no arrow data for ${t.kind}`);
  }
}
