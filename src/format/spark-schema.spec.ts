import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withProvenance } from './provenance.js';
import { inferSchema } from './schema.js';
import { fromSparkSchema, toSparkSchema } from './spark-schema.js';

const records = [
  {
    id: 1,
    score: 1.5,
    ok: true,
    name: 'a',
    at: '2024-01-01T10:00:00Z',
    mixed: 1,
    nested: { n: 1, tags: ['x', null], deep: { d: 2.5 } },
    empty: [],
    never: null,
    hollow: { nothing: null },
  },
  { mixed: 'one' },
];

describe('toSparkSchema', () => {
  it('emits StructType JSON exactly as Spark writes it', () => {
    const f = (name: string, type: unknown) => ({ name, type, nullable: true, metadata: {} });
    const expected = {
      type: 'struct',
      fields: [
        f('id', 'long'),
        f('score', 'double'),
        f('ok', 'boolean'),
        f('name', 'string'),
        f('at', 'timestamp'),
        f('mixed', 'string'), // json fallback is a Spark string
        f('nested', {
          type: 'struct',
          fields: [
            f('n', 'long'),
            f('tags', { type: 'array', elementType: 'string', containsNull: true }),
            f('deep', { type: 'struct', fields: [f('d', 'double')] }),
          ],
        }),
        f('empty', { type: 'array', elementType: 'string', containsNull: true }), // element never seen
        // `never` and `hollow` have no value yet: left out, Spark reads them as null
        f('_pf_run_id', 'string'),
        f('_pf_page', 'long'),
        f('_pf_fetched_at', 'timestamp'),
      ],
    };
    const spark = toSparkSchema(withProvenance(inferSchema(records)));
    assert.equal(JSON.stringify(spark), JSON.stringify(expected)); // key order included
  });
});

describe('fromSparkSchema', () => {
  it('round-trips: to -> from -> to is stable (text or object input)', () => {
    const spark = toSparkSchema(withProvenance(inferSchema(records)));
    const back = fromSparkSchema(JSON.stringify(spark));
    assert.deepEqual(toSparkSchema(back), spark);
    assert.deepEqual(fromSparkSchema(spark), back);
    assert.deepEqual(back.fields.find((f) => f.name === 'nested')?.type, {
      kind: 'struct',
      fields: [
        { name: 'n', type: { kind: 'long' } },
        { name: 'tags', type: { kind: 'list', element: { kind: 'string' }, containsNull: true } },
        { name: 'deep', type: { kind: 'struct', fields: [{ name: 'd', type: { kind: 'double' } }] } },
      ],
    });
  });
  it('reads a schema Spark itself wrote (integer, float, timestamp_ntz)', () => {
    const text =
      '{"type":"struct","fields":[{"name":"i","type":"integer","nullable":true,"metadata":{}},' +
      '{"name":"f","type":"float","nullable":false,"metadata":{}},' +
      '{"name":"t","type":"timestamp_ntz","nullable":true,"metadata":{}}]}';
    assert.deepEqual(fromSparkSchema(text).fields.map((f) => f.type.kind), ['long', 'double', 'timestamp']);
  });
  it('rejects types it cannot represent, naming where', () => {
    assert.throws(
      () => fromSparkSchema({ type: 'struct', fields: [{ name: 'm', type: { type: 'map', keyType: 'string' } }] }),
      /unsupported type "map" at \$\.m/,
    );
    assert.throws(() => fromSparkSchema({ type: 'struct', fields: [{ name: 'd', type: 'date' }] }), /"date" at \$\.d/);
    assert.throws(() => fromSparkSchema('"long"'), /must be a struct/);
  });
});
