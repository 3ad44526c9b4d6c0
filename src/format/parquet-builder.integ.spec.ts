/** Parquet files read back independently by pyarrow (the project venv's python). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pageInput, testBuilder } from '../../test/memory-sink.js';
import { inferSchema } from './schema.js';
import { readParquetWithPyarrow } from '../../test/read-parquet-pyarrow.js';

const TS = 'timestamp[us, tz=UTC]';
const us = (iso: string) => Date.parse(iso) * 1000;
const prov = (page: number, iso: string) => ({ runId: 'run-7', page, fetchedAt: new Date(iso) });

const page1 = [
  {
    id: 1,
    title: 'Alpha',
    updated_at: '2024-01-01T10:00:00.123456Z',
    release_date: '2024-01-01',
    score: 1,
    when: '2024-03-01T00:00:00Z',
    mixed: 1,
    tags: ['a', null, 'c'],
    production: { budget: 3_000_000_000, countries: ['US'], seen: '2024-01-01T12:00:00+02:00' },
    nothing: null,
    empty: [],
  },
  { id: 2, title: 'Beta', updated_at: '2024-01-01T12:00:00+02:00', score: 2.5, when: 'soon', mixed: 'two', tags: [], production: null },
];
const page2 = [{ id: 3, mixed: { a: 1 }, tags: null, production: { budget: 5, extra: true } }, { id: 4, mixed: [1, 'x'] }, 99];

describe('parquet builder (read back by pyarrow)', () => {
  it('writes typed columns, widened and json-fallback values, and provenance', async () => {
    const b = testBuilder('parquet');
    assert.equal(b.extension, '.parquet');
    b.add(pageInput(page1, prov(1, '2024-05-05T01:02:03.004Z')));
    b.add(pageInput(page2, prov(2, '2024-05-05T01:02:04Z')));
    assert.equal(b.records, 5);
    const { bytes, schema } = await b.finish();
    const t = readParquetWithPyarrow(bytes);

    assert.equal(t.num_rows, 5);
    assert.deepEqual(Object.keys(t.types), [
      'id', 'title', 'updated_at', 'release_date', 'score', 'when', 'mixed', 'tags', 'production', 'empty', 'value',
      '_pf_run_id', '_pf_page', '_pf_fetched_at',
    ]); // `nothing` (never a value) is left out
    assert.equal(t.types.id, 'int64');
    assert.equal(t.types.updated_at, TS);
    assert.equal(t.types.release_date, 'string'); // date only: not a timestamp
    assert.equal(t.types.score, 'double'); // long + double
    assert.equal(t.types.when, 'string'); // timestamp + string
    assert.equal(t.types.mixed, 'string'); // json fallback
    assert.equal(t.types.tags, 'list<element: string>');
    assert.equal(t.types.production, `struct<budget: int64, countries: list<element: string>, seen: ${TS}, extra: bool>`);
    assert.equal(t.types.empty, 'list<element: string>');
    assert.equal(t.types._pf_run_id, 'string');
    assert.equal(t.types._pf_page, 'int64');
    assert.equal(t.types._pf_fetched_at, TS);

    const col = (name: string) => t.rows.map((r) => r[name]);
    assert.deepEqual(col('id'), [1, 2, 3, 4, null]);
    assert.deepEqual(col('updated_at'), [us('2024-01-01T10:00:00Z') + 123456, us('2024-01-01T10:00:00Z'), null, null, null]);
    assert.deepEqual(col('score'), [1, 2.5, null, null, null]);
    assert.deepEqual(col('when'), ['2024-03-01T00:00:00Z', 'soon', null, null, null]); // original text kept
    assert.deepEqual(col('mixed'), ['1', 'two', '{"a":1}', '[1,"x"]', null]);
    assert.deepEqual(col('tags'), [['a', null, 'c'], [], null, null, null]);
    assert.deepEqual(col('production'), [
      { budget: 3_000_000_000, countries: ['US'], seen: us('2024-01-01T10:00:00Z'), extra: null },
      null,
      { budget: 5, countries: null, seen: null, extra: true },
      null,
      null,
    ]);
    assert.deepEqual(col('empty'), [[], null, null, null, null]);
    assert.deepEqual(col('value'), [null, null, null, null, 99]);
    assert.deepEqual(col('_pf_run_id'), Array(5).fill('run-7'));
    assert.deepEqual(col('_pf_page'), [1, 1, 2, 2, 2]);
    assert.deepEqual(col('_pf_fetched_at'), [...Array(2).fill(us('2024-05-05T01:02:03.004Z')), ...Array(3).fill(us('2024-05-05T01:02:04Z'))]);

    // The returned schema is the inferred one (with the null-only field) plus provenance.
    assert.deepEqual(schema.fields.map((f) => f.name), [
      'id', 'title', 'updated_at', 'release_date', 'score', 'when', 'mixed', 'tags', 'production', 'nothing', 'empty', 'value',
      '_pf_run_id', '_pf_page', '_pf_fetched_at',
    ]);
  });

  it('starts from a given schema: its types and columns carry over to the file', async () => {
    const start = inferSchema([{ a: 1.5, z: 'text', _pf_page: 1 }]);
    const b = testBuilder('parquet', { schema: start });
    b.add(pageInput([{ a: 1 }, { _pf_page: 'mine' }], prov(4, '2024-05-05T00:00:00Z')));
    const t = readParquetWithPyarrow((await b.finish()).bytes);
    assert.deepEqual(t.types, { a: 'double', z: 'string', _pf_run_id: 'string', _pf_page: 'int64', _pf_fetched_at: TS });
    assert.deepEqual(t.rows.map((r) => [r.a, r.z, r._pf_page]), [[1, null, 4], [null, null, 4]]);
    assert.deepEqual(start, inferSchema([{ a: 1.5, z: 'text', _pf_page: 1 }]), 'start schema untouched');
  });

  it('an empty builder still writes a readable file with the provenance columns', async () => {
    const t = readParquetWithPyarrow((await testBuilder('parquet').finish()).bytes);
    assert.equal(t.num_rows, 0);
    assert.deepEqual(Object.keys(t.types), ['_pf_run_id', '_pf_page', '_pf_fetched_at']);
  });

  it('cuts large files into several row groups', async () => {
    const b = testBuilder('parquet');
    const big = 'x'.repeat(1024 * 1024);
    for (let p = 1; p <= 3; p++) b.add(pageInput(Array.from({ length: 12 }, (_, i) => ({ id: p * 100 + i, big })), prov(p, '2024-05-05T00:00:00Z')));
    const t = readParquetWithPyarrow((await b.finish()).bytes, false);
    assert.equal(t.num_rows, 36);
    assert.ok(t.row_groups >= 2, `${t.row_groups} row groups`);
  });

  it('approxBytes grows with every page, errs on the large side before the first row group, ends close to the file size', async () => {
    const b = testBuilder('parquet');
    const sizes: number[] = [];
    let firstGroupAt = -1;
    for (let p = 1; p <= 300; p++) {
      const records = Array.from({ length: 200 }, (_, i) => ({ id: p * 1000 + i, name: `movie ${p}-${i}`, score: i / 3, at: '2024-01-01T10:00:00Z' }));
      b.add(pageInput(records, prov(p, '2024-05-05T00:00:00Z')));
      await b.flush();
      sizes.push(b.approxBytes);
      if (firstGroupAt < 0 && b.sink.bytes > 0) firstGroupAt = p - 1;
    }
    // the estimate switches from the default ratio to the file's own when the first row group is written
    assert.ok(firstGroupAt > 0, 'a row group was written before finish');
    assert.ok(sizes.every((s, i) => i === 0 || i === firstGroupAt || s > sizes[i - 1]), `grows with every page: ${sizes.join(' ')}`);
    const { bytes } = await b.finish();
    const last = sizes[sizes.length - 1];
    assert.ok(sizes[0] > bytes.length / 300, `the first page's estimate ${sizes[0]} is above its share of the file`);
    assert.ok(last >= bytes.length * 0.8 && last < bytes.length * 1.5, `${last} vs ${bytes.length}`);
  });

  it('streams row groups into its sink as they fill, holding one group at most', async () => {
    const b = testBuilder('parquet');
    const text = 'y'.repeat(2000);
    const written: number[] = [];
    for (let p = 1; p <= 12; p++) {
      b.add(pageInput(Array.from({ length: 500 }, (_, i) => ({ id: p * 1000 + i, text })), prov(p, '2024-05-05T00:00:00Z')));
      await b.flush();
      written.push(b.sink.bytes);
    }
    // 1 MB of JSON a page against a 4 MiB row group: bytes reach the sink every few pages, long before finish
    assert.ok(written[5] > 0 && written[11] > written[5], `bytes in the sink after each page: ${written.join(' ')}`);
    const t = readParquetWithPyarrow((await b.finish()).bytes, false);
    assert.equal(t.num_rows, 6000);
    assert.ok(t.row_groups >= 3, `${t.row_groups} row groups`);
  });

  it('fixes its columns at the first row group: a page adding or widening a column no longer fits', async () => {
    const b = testBuilder('parquet');
    const first = Array.from({ length: 30_000 }, (_, i) => ({ id: i, score: 1 }));
    const fresh = pageInput([{ id: 1, extra: 'x' }], prov(2, '2024-05-05T00:00:00Z'));
    assert.ok(b.builder.fits(fresh.schema), 'before any row group is written every page fits');
    b.add(pageInput(first, prov(1, '2024-05-05T00:00:00Z')));
    await b.flush(); // 30,000 rows: one row group written
    assert.ok(b.sink.bytes > 0);
    assert.equal(b.builder.fits(fresh.schema), false, 'a new column');
    assert.equal(b.builder.fits(pageInput([{ score: 1.5 }], prov(2, '2024-05-05T00:00:00Z')).schema), false, 'long widened to double');
    assert.ok(b.builder.fits(pageInput([{ id: 7, later: null }], prov(2, '2024-05-05T00:00:00Z')).schema), 'a column with no value yet is not written: fits');
    assert.throws(() => b.add(fresh), /does not fit/);
    b.add(pageInput([{ id: 7, later: null }], prov(2, '2024-05-05T00:00:00Z')));
    const t = readParquetWithPyarrow((await b.finish()).bytes, false);
    assert.equal(t.num_rows, 30_001);
    assert.deepEqual(Object.keys(t.types), ['id', 'score', '_pf_run_id', '_pf_page', '_pf_fetched_at']);
  });

  it('is single use', async () => {
    const b = testBuilder('parquet');
    await b.finish();
    assert.throws(() => b.add(pageInput([{ a: 1 }], prov(1, '2024-05-05T00:00:00Z'))), /after finish/);
    await assert.rejects(b.finish(), /twice/);
  });
});
