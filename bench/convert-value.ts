import { isPlainObject } from '../src/format/observe.js';
import { isoToMicros } from '../src/format/timestamp.js';
import type { DataType } from '../src/format/types.js';
import { jsonText, ownValue } from '../src/format/values.js';

/**
 * Bench helper (the writers pagefleet is compared with take converted values, not records).
 * A record value in the shape Parquet column writers take, for a writable type (see `writableType`):
 * long and timestamp -> bigint (epoch microseconds), double -> number, string -> string,
 * json -> the string itself or else the value's JSON text, struct -> object of its fields, list -> array. null/undefined -> null.
 * Throws if the value does not fit the type (the type is inferred from the same values, so that is a bug).
 */
export function convertValue(t: DataType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'long':
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
      if (typeof v === 'string' && /^-?\d{1,19}$/.test(v)) return BigInt(v); // a bigint after a JSON round trip
      break;
    case 'double':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      break;
    case 'boolean':
      if (typeof v === 'boolean') return v;
      break;
    case 'string':
      if (typeof v === 'string') return v;
      if (typeof v === 'bigint') return v.toString();
      break;
    case 'timestamp': {
      if (v instanceof Date) return BigInt(v.getTime()) * 1000n;
      const micros = typeof v === 'string' ? isoToMicros(v) : undefined;
      if (micros !== undefined) return micros;
      break;
    }
    case 'json':
      return typeof v === 'string' ? v : jsonText(v);
    case 'struct': {
      if (!isPlainObject(v)) break;
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const f of t.fields) out[f.name] = convertValue(f.type, ownValue(v, f.name));
      return out;
    }
    case 'list':
      if (!Array.isArray(v)) break;
      return v.map((e) => convertValue(t.element, e));
    case 'null':
      return null;
  }
  throw new TypeError(`value does not fit inferred type ${t.kind}: ${jsonText(v).slice(0, 80)}`);
}
