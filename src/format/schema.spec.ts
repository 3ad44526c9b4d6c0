import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inferSchema, mergeSchema, mergeType } from './schema.js';
import type { DataType, Schema } from './types.js';

const L = { kind: 'long' } as const;
const D = { kind: 'double' } as const;
const B = { kind: 'boolean' } as const;
const S = { kind: 'string' } as const;
const TS = { kind: 'timestamp' } as const;
const J = { kind: 'json' } as const;
const N = { kind: 'null' } as const;
const list = (element: DataType, containsNull = false): DataType => ({ kind: 'list', element, containsNull });
const struct = (fields: Record<string, DataType>): Schema => ({
  kind: 'struct',
  fields: Object.entries(fields).map(([name, type]) => ({ name, type })),
});
/** The inferred type of field `x` over records `{x: v}` for each value. */
const typeOf = (...values: unknown[]) => inferSchema(values.map((x) => ({ x }))).fields[0]?.type;

describe('inferSchema: scalars', () => {
  it('infers long, double, boolean, string', () => {
    assert.deepEqual(inferSchema([{ a: 1, b: 1.5, c: true, d: 'x' }]), struct({ a: L, b: D, c: B, d: S }));
  });
  it('detects zoned ISO date-times as timestamp; a date-only string stays string', () => {
    assert.deepEqual(typeOf('2024-01-01T10:00:00Z'), TS);
    assert.deepEqual(typeOf('2024-01-01T10:00:00.123456+02:00'), TS);
    assert.deepEqual(typeOf('2024-01-01'), S);
    assert.deepEqual(typeOf('2024-01-01T10:00:00'), S);
  });
  it('integers beyond int64 are double', () => {
    assert.deepEqual(typeOf(2 ** 63), D);
    assert.deepEqual(typeOf(-(2 ** 63)), L);
  });
  it('a field seen only as null is null', () => {
    assert.deepEqual(typeOf(null, undefined), N);
  });
});

describe('inferSchema: widening', () => {
  it('null + X = X', () => assert.deepEqual(typeOf(null, 3, null), L));
  it('long + double = double', () => assert.deepEqual(typeOf(1, 2.5, 3), D));
  it('timestamp + string = string', () => assert.deepEqual(typeOf('2024-01-01T10:00:00Z', 'soon'), S));
  it('string + timestamp = string', () => assert.deepEqual(typeOf('soon', '2024-01-01T10:00:00Z'), S));
  it('long + string = json', () => assert.deepEqual(typeOf(1, 'one'), J));
  it('boolean + long = json', () => assert.deepEqual(typeOf(true, 1), J));
  it('struct + scalar = json', () => assert.deepEqual(typeOf({ a: 1 }, 5), J));
  it('list + scalar = json', () => assert.deepEqual(typeOf([1], 'x'), J));
  it('struct + list = json', () => assert.deepEqual(typeOf({ a: 1 }, [1]), J));
  it('json absorbs anything after it', () => assert.deepEqual(typeOf(1, 'x', { a: 1 }, [2], null), J));
  it('struct + struct = union of fields in first-seen order', () => {
    assert.deepEqual(typeOf({ a: 1, b: 'x' }, { c: true, a: 2.5 }), struct({ a: D, b: S, c: B }));
  });
  it('list + list = list of merged element; null elements are recorded', () => {
    assert.deepEqual(typeOf([1, 2], [3.5]), list(D));
    assert.deepEqual(typeOf(['a', null]), list(S, true));
    assert.deepEqual(typeOf([], []), list(N));
    assert.deepEqual(typeOf([1], ['a']), list(J));
  });
  it('nested conflicts widen in place, not the whole record', () => {
    assert.deepEqual(typeOf({ p: { q: 1 } }, { p: { q: 'x', r: [null] } }), struct({ p: struct({ q: J, r: list(N, true) }) }));
  });
});

describe('inferSchema: records', () => {
  it('keeps first-seen field order across records', () => {
    assert.deepEqual(inferSchema([{ b: 1 }, { a: 1, b: 2 }, { c: 1 }]).fields.map((f) => f.name), ['b', 'a', 'c']);
  });
  it('wraps a non-object record as {value: ...}', () => {
    assert.deepEqual(inferSchema([42, 'x', [1]]), struct({ value: J }));
    assert.deepEqual(inferSchema([7, 8]), struct({ value: L }));
  });
  it('does not mistake Object.prototype members for fields', () => {
    assert.deepEqual(inferSchema([{ constructor: 1 }, { toString: 'x' }]), struct({ constructor: L, toString: S }));
  });
  it('starts from a given schema without modifying it', () => {
    const start = struct({ a: L });
    assert.deepEqual(inferSchema([{ a: 1.5, b: true }], start), struct({ a: D, b: B }));
    assert.deepEqual(start, struct({ a: L }));
  });
});

describe('mergeSchema', () => {
  it('applies the same rules as inference', () => {
    const a = struct({ x: L, t: TS, s: struct({ p: L }), l: list(L), n: N, k: L });
    const b = struct({ y: B, x: D, t: S, s: struct({ q: S }), l: list(D, true), n: S, k: struct({}) });
    assert.deepEqual(
      mergeSchema(a, b),
      struct({ x: D, t: S, s: struct({ p: L, q: S }), l: list(D, true), n: S, k: J, y: B }),
    );
  });
  it('is the same whether records are inferred together or merged per page', () => {
    const p1 = [{ id: 1, t: '2024-01-01T00:00:00Z', tags: ['a'] }];
    const p2 = [{ id: 2.5, t: 'later', tags: [null], extra: { z: 1 } }];
    assert.deepEqual(mergeSchema(inferSchema(p1), inferSchema(p2)), inferSchema([...p1, ...p2]));
  });
  it('does not modify its inputs', () => {
    const a = struct({ s: struct({ p: L }) });
    const b = struct({ s: struct({ q: S }) });
    const merged = mergeSchema(a, b);
    (merged.fields[0].type as Schema).fields.push({ name: 'zz', type: B });
    assert.deepEqual(a, struct({ s: struct({ p: L }) }));
    assert.deepEqual(b, struct({ s: struct({ q: S }) }));
  });
  it('mergeType json with anything is json', () => {
    assert.deepEqual(mergeType(J, list(L)), J);
    assert.deepEqual(mergeType(struct({ a: L }), J), J);
  });
});
