/** pagefleet's Parquet writer, read back by pyarrow (an independent reader): values, nesting, statistics. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../../test/prng.js';
import { readParquetWithPyarrow } from '../../../test/read-parquet-pyarrow.js';
import { withProvenance } from '../provenance.js';
import { inferSchema } from '../schema.js';
import { isoToMicros } from '../timestamp.js';
import type { DataType, StructType } from '../types.js';
import { writableSchema } from '../writable-type.js';
import { parquetFileWriter, UNCOMPRESSED, type Codec } from './file-writer.js';
import { SNAPPY } from './snappy.js';
import { snappyCompress } from 'hyparquet-writer/src/snappy.js';

const STRINGS = ['', 'a', 'héllo wörld', '日本語のテキスト', 'emoji 😀 and 𝄞', 'tab\tand\nnewline', 'x'.repeat(300), '\u0000nul'];
const TIMES = ['2024-01-01T10:00:00.123456Z', '2024-06-30T23:59:59+02:00', '1970-01-01T00:00:00Z', '1969-12-31T23:59:59.999999Z',
  '1600-02-29T12:00:00Z', '9999-12-31T23:59:59.999999Z'];

/** Records of one nested shape with nulls, empty lists, unicode, extreme numbers and old and far timestamps. */
function records(n: number, seed: number): Record<string, unknown>[] {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const maybe = <T>(v: T, p = 0.2): T | null => (r() < p ? null : v);
  const list = <T>(make: () => T, max = 4): T[] | null => (r() < 0.15 ? null : Array.from({ length: Math.floor(r() * max) }, make));
  return Array.from({ length: n }, (_, i) => ({
    id: i % 5 === 0 ? -i * 1_000_003 : i * 2 ** 40 + 7,
    big: maybe(i % 3 === 0 ? 2n ** 62n + BigInt(i) : -(2n ** 60n) - BigInt(i)),
    score: pick([0.5, -0, 1e300, -2.25e-300, 3, i / 7]),
    flag: maybe(r() < 0.5),
    name: maybe(pick(STRINGS)),
    when: maybe(pick(TIMES)),
    tags: list(() => maybe(pick(STRINGS), 0.3)),
    nested: maybe({ a: maybe(Math.floor(r() * 100) - 50), items: list(() => maybe({ k: pick(STRINGS), v: list(() => maybe(Math.floor(r() * 9))) })) }),
    mixed: pick<unknown>([1, 'two', { three: [3] }, [4, null], true]),
  }));
}

/** What pyarrow (via test/read-parquet-pyarrow.ts) gives for `v` in a column of type `t`. */
function expected(t: DataType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'long': {
      const big = BigInt(v as number | bigint);
      return big > 2n ** 53n || big < -(2n ** 53n) ? big.toString() : Number(big);
    }
    case 'timestamp': {
      const micros = isoToMicros(v as string)!;
      return micros > 2n ** 53n || micros < -(2n ** 53n) ? micros.toString() : Number(micros);
    }
    case 'json':
      return typeof v === 'string' ? v : JSON.stringify(v);
    case 'struct':
      return Object.fromEntries(t.fields.map((f) => [f.name, expected(f.type, (v as Record<string, unknown>)[f.name])]));
    case 'list':
      return (v as unknown[]).map((e) => expected(t.element, e));
    default:
      return v;
  }
}

function write(rows: Record<string, unknown>[], groupSize: number, codec: Codec): { bytes: Buffer; schema: StructType } {
  const schema = writableSchema(withProvenance(inferSchema(rows)));
  const w = parquetFileWriter(schema, codec);
  const fetchedAt = new Date('2024-05-05T01:02:03.004Z');
  for (let at = 0; at < rows.length; at += groupSize) {
    w.addPage({ records: rows.slice(at, at + groupSize), prov: { runId: 'run-1', page: at / groupSize + 1, fetchedAt } });
    w.endRowGroup();
  }
  w.finish();
  return { bytes: Buffer.concat(w.takeChunks()), schema };
}

/** The fallback where native snappy does not load (snappy.ts). */
const JS_SNAPPY: Codec = { name: 'SNAPPY', compress: snappyCompress };

describe('parquet file writer (read back by pyarrow)', () => {
  for (const [label, codec] of [['native snappy', SNAPPY], ['JavaScript snappy', JS_SNAPPY], ['uncompressed', UNCOMPRESSED]] as const) {
    it(`writes every value of nested, null-heavy records exactly (${label}, several row groups)`, () => {
      const rows = records(500, 11);
      const { bytes, schema } = write(rows, 37, codec);
      const t = readParquetWithPyarrow(bytes);
      assert.equal(t.num_rows, 500);
      assert.equal(t.row_groups, Math.ceil(500 / 37));
      assert.equal(t.types.nested, 'struct<a: int64, items: list<element: struct<k: string, v: list<element: int64>>>>');
      assert.equal(t.types.when, 'timestamp[us, tz=UTC]');
      const own = schema.fields.slice(0, -3);
      t.rows.forEach((row, i) => {
        for (const f of own) assert.deepEqual(row[f.name], expected(f.type, rows[i][f.name]), `row ${i} ${f.name}`);
        assert.equal(row._pf_page, Math.floor(i / 37) + 1);
        assert.equal(row._pf_fetched_at, Date.parse('2024-05-05T01:02:03.004Z') * 1000);
      });
    });
  }

  it('writes null counts for every column, and min and max for exact numbers only', () => {
    const rows = records(200, 5);
    const { bytes } = write(rows, 50, SNAPPY);
    const t = readParquetWithPyarrow(bytes, false);
    t.stats.forEach((group, g) => {
      const slice = rows.slice(g * 50, g * 50 + 50);
      const ids = slice.map((x) => x.id as number);
      assert.deepEqual(group.id, { null_count: 0, min: Math.min(...ids), max: Math.max(...ids) }, `group ${g} id`);
      assert.equal(group.name?.null_count, slice.filter((x) => x.name === null).length, `group ${g} name`);
      assert.equal(group.flag?.null_count, slice.filter((x) => x.flag === null).length, `group ${g} flag`);
      const scores = slice.map((x) => x.score as number);
      assert.equal(group.score?.min, Math.min(...scores));
      assert.equal(group.score?.max, Math.max(...scores));
      // a timestamp beyond 2^53 µs is written exactly, but statistics are left out rather than risk a wrong bound
      const far = slice.some((x) => x.when === '1600-02-29T12:00:00Z' || x.when === '9999-12-31T23:59:59.999999Z');
      assert.equal(group.when?.min === undefined, far, `group ${g} when`);
      assert.equal(group.big?.min, undefined, 'bigints: no min/max');
      assert.deepEqual(group._pf_page, { null_count: 0, min: g + 1, max: g + 1 });
    });
  });

  it('a value that does not fit its column throws (a bug upstream, never dropped data)', () => {
    const schema = writableSchema(withProvenance(inferSchema([{ n: 1 }])));
    const w = parquetFileWriter(schema, SNAPPY);
    const prov = { runId: 'r', page: 1, fetchedAt: new Date(0) };
    assert.throws(() => w.addPage({ records: [{ n: 'x' }], prov }), /does not fit inferred type long/);
    assert.throws(() => parquetFileWriter(schema, SNAPPY).addPage({ records: [{ n: 2n ** 63n }], prov }), /does not fit/);
  });
});
