import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { pageInput, testBuilder } from '../../test/memory-sink.js';

const prov1 = { runId: 'run-1', page: 1, fetchedAt: new Date('2024-05-05T01:02:03.004Z') };
const prov2 = { runId: 'run-1', page: 2, fetchedAt: new Date('2024-05-05T01:02:04Z') };

function lines(bytes: Uint8Array): unknown[] {
  const text = gunzipSync(bytes).toString('utf8');
  assert.ok(text.endsWith('\n'), 'file ends with a newline');
  return text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as unknown);
}

describe('ndjson builder', () => {
  it('gunzips to the same records, each with provenance appended after its own fields', async () => {
    const page1 = [{ id: 1, title: 'A', nested: { x: [1, null] }, big: 12345678901234, when: '2024-01-01T10:00:00Z' }, { id: 2 }];
    const page2 = [{ id: 3, title: 'é ✓ "quoted"\nnewline', mixed: 'x' }];
    const b = testBuilder('ndjson');
    assert.equal(b.format, 'ndjson');
    assert.equal(b.extension, '.ndjson.gz');
    b.add(pageInput(page1, prov1));
    b.add(pageInput(page2, prov2));
    assert.equal(b.records, 3);
    const { bytes, schema } = await b.finish();
    const got = lines(bytes);
    const p1 = { _pf_run_id: 'run-1', _pf_page: 1, _pf_fetched_at: '2024-05-05T01:02:03.004000Z' };
    const p2 = { _pf_run_id: 'run-1', _pf_page: 2, _pf_fetched_at: '2024-05-05T01:02:04.000000Z' };
    assert.deepEqual(got, [{ ...page1[0], ...p1 }, { ...page1[1], ...p1 }, { ...page2[0], ...p2 }]);
    assert.deepEqual(Object.keys(got[0] as object), [...Object.keys(page1[0]), '_pf_run_id', '_pf_page', '_pf_fetched_at']);
    assert.deepEqual(schema.fields.map((f) => [f.name, f.type.kind]), [
      ['id', 'long'], ['title', 'string'], ['nested', 'struct'], ['big', 'long'], ['when', 'timestamp'], ['mixed', 'string'],
      ['_pf_run_id', 'string'], ['_pf_page', 'long'], ['_pf_fetched_at', 'timestamp'],
    ]);
  });

  it('leaves values untouched (no widening, no timestamp rewriting)', async () => {
    const page = [{ v: 1, t: '2024-01-01T12:00:00+02:00' }, { v: 'one', t: 'never' }, { v: { deep: [1.5] } }];
    const b = testBuilder('ndjson');
    b.add(pageInput(page, prov1));
    const got = lines((await b.finish()).bytes) as Record<string, unknown>[];
    assert.deepEqual(got.map((r) => r.v), [1, 'one', { deep: [1.5] }]);
    assert.deepEqual(got.map((r) => r.t), ['2024-01-01T12:00:00+02:00', 'never', undefined]);
  });

  it('wraps non-object records as {value} and replaces provenance-named fields', async () => {
    const b = testBuilder('ndjson');
    b.add(pageInput([42, 'x', null, [1, 2], {}, { _pf_page: 'mine', a: 1 }], prov1));
    const got = lines((await b.finish()).bytes) as Record<string, unknown>[];
    assert.deepEqual(got.map((r) => r.value), [42, 'x', null, [1, 2], undefined, undefined]);
    assert.deepEqual(got[4], { _pf_run_id: 'run-1', _pf_page: 1, _pf_fetched_at: '2024-05-05T01:02:03.004000Z' });
    assert.deepEqual(got[5], { a: 1, _pf_run_id: 'run-1', _pf_page: 1, _pf_fetched_at: '2024-05-05T01:02:03.004000Z' });
  });

  it('approxBytes grows with the data and ends near the real size', async () => {
    const b = testBuilder('ndjson');
    assert.equal(b.approxBytes, 0);
    let seed = 1;
    const noise = () => (seed = (seed * 48271) % 2147483647).toString(36);
    const seen: number[] = [];
    for (let p = 1; p <= 100; p++) {
      b.add(pageInput(Array.from({ length: 20 }, (_, i) => ({ id: p * 100 + i, text: Array.from({ length: 30 }, noise).join(' ') })), { ...prov1, page: p }));
      seen.push(b.approxBytes);
      await new Promise((r) => setImmediate(r)); // let gzip run between pages, as network waits do
    }
    for (let p = 1; p < 100; p++) assert.ok(seen[p] >= seen[p - 1], `never shrinks: ${seen.join(' ')}`);
    for (let p = 10; p < 100; p += 10) assert.ok(seen[p] > seen[p - 10], `grows: ${seen.join(' ')}`);
    const { bytes } = await b.finish();
    const last = seen[seen.length - 1];
    assert.ok(bytes.length > 200_000);
    // gzip output comes in 16 KiB chunks and deflate holds some back, so the estimate trails a little
    assert.ok(Math.abs(last - bytes.length) < bytes.length * 0.15, `${last} vs ${bytes.length}`);
  });

  it('approxBytes stays close while gzip lags behind (pages added without yielding)', async () => {
    const b = testBuilder('ndjson');
    let seed = 7;
    const noise = () => (seed = (seed * 48271) % 2147483647).toString(36);
    for (let p = 1; p <= 100; p++) b.add(pageInput(Array.from({ length: 20 }, () => ({ text: Array.from({ length: 30 }, noise).join(' ') })), { ...prov1, page: p }));
    const estimate = b.approxBytes;
    const { bytes } = await b.finish();
    assert.ok(estimate >= bytes.length * 0.9 && estimate <= bytes.length * 1.5, `${estimate} vs ${bytes.length}`);
  });

  it('streams compressed bytes into its sink at each flush, and flushes never wait forever on gzip', { timeout: 60_000 }, async () => {
    const b = testBuilder('ndjson');
    let seed = 3;
    const noise = () => (seed = (seed * 48271) % 2147483647).toString(36);
    const written: number[] = [];
    // many concurrent flushes of large pages, as 8 workers of an executor make them
    for (let p = 1; p <= 200; p += 8) {
      await Promise.all(
        Array.from({ length: 8 }, (_, k) => {
          b.add(pageInput(Array.from({ length: 100 }, () => ({ text: Array.from({ length: 60 }, noise).join(' ') })), { ...prov1, page: p + k }));
          return b.flush();
        }),
      );
      written.push(b.sink.bytes);
    }
    assert.ok(written[written.length - 1] > 0 && written[5] > 0, `bytes reach the sink before finish: ${written.join(' ')}`);
    const { bytes } = await b.finish();
    assert.equal(lines(bytes).length, 200 * 100);
  });

  it('an empty file is a valid empty gzip; the builder is single use', async () => {
    const b = testBuilder('ndjson');
    const { bytes } = await b.finish();
    assert.equal(gunzipSync(bytes).length, 0);
    assert.throws(() => b.add(pageInput([{ a: 1 }], prov1)), /after finish/);
    await assert.rejects(b.finish(), /twice/);
  });

  it('rejects a non-integer page and an invalid fetchedAt', () => {
    const b = testBuilder('ndjson');
    assert.throws(() => b.add(pageInput([{ a: 1 }], { ...prov1, page: 1.5 })), TypeError);
    assert.throws(() => b.add(pageInput([{ a: 1 }], { ...prov1, fetchedAt: new Date(NaN) })), RangeError);
  });
});
