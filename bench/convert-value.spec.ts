import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertValue } from './convert-value.js';
import { jsonText } from '../src/format/values.js';
import type { DataType } from '../src/format/types.js';

const T = (kind: string) => ({ kind }) as DataType;

describe('convertValue', () => {
  it('long and timestamp become bigint; double stays number', () => {
    assert.equal(convertValue(T('long'), 9007199254740993n), 9007199254740993n);
    assert.equal(convertValue(T('long'), -5), -5n);
    assert.equal(convertValue(T('double'), 3), 3);
    assert.equal(convertValue(T('timestamp'), '1970-01-01T00:00:01.000002Z'), 1_000_002n);
  });
  it('json keeps strings as they are and writes other values as JSON text', () => {
    assert.equal(convertValue(T('json'), 'plain'), 'plain');
    assert.equal(convertValue(T('json'), 12), '12');
    assert.equal(convertValue(T('json'), false), 'false');
    assert.equal(convertValue(T('json'), { a: [1, null] }), '{"a":[1,null]}');
  });
  it('null and undefined become null at every level', () => {
    const t: DataType = { kind: 'struct', fields: [{ name: 'l', type: { kind: 'list', element: T('long'), containsNull: true } }] };
    assert.equal(convertValue(t, undefined), null);
    assert.deepEqual({ ...(convertValue(t, { l: [1, null, undefined] }) as object) }, { l: [1n, null, null] });
    assert.deepEqual({ ...(convertValue(t, {}) as object) }, { l: null });
  });
  it('reads only own fields (never Object.prototype members)', () => {
    const t: DataType = { kind: 'struct', fields: [{ name: 'constructor', type: T('long') }, { name: '__proto__', type: T('string') }] };
    assert.deepEqual({ ...(convertValue(t, {}) as object) }, { constructor: null, ['__proto__']: null });
    const own = JSON.parse('{"__proto__":"x","constructor":2}') as unknown;
    const out = convertValue(t, own) as Record<string, unknown>;
    assert.equal(out.constructor, 2n);
    assert.equal(Object.getOwnPropertyDescriptor(out, '__proto__')?.value, 'x');
  });
  it('throws on a value that does not fit (a bug upstream, never silent)', () => {
    assert.throws(() => convertValue(T('long'), 'x'), TypeError);
    assert.throws(() => convertValue(T('timestamp'), '2024-01-01'), TypeError);
    assert.throws(() => convertValue({ kind: 'list', element: T('long'), containsNull: false }, { a: 1 }), TypeError);
  });
});

describe('jsonText', () => {
  it('handles undefined and bigint', () => {
    assert.equal(jsonText(undefined), 'null');
    assert.equal(jsonText({ n: 1n }), '{"n":"1"}');
  });
});
