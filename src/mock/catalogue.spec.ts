import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Catalogue, isoUtc } from './catalogue.js';
import { MOCK_DEFAULTS } from './constants.js';
import { parseIsoDay } from './dates.js';
import type { MovieRecord } from './types.js';

const N = 5000;
const cat = new Catalogue(1, N);
const all: MovieRecord[] = Array.from({ length: N }, (_, i) => cat.record(i));

function rate(pred: (r: MovieRecord) => boolean): number {
  return all.filter(pred).length / N;
}

describe('Catalogue', () => {
  it('generates the TMDB popular-movie shape with the documented types', () => {
    const keys = [
      'adult', 'backdrop_path', 'genre_ids', 'id', 'original_language', 'original_title', 'overview', 'popularity',
      'poster_path', 'release_date', 'title', 'video', 'vote_average', 'vote_count', 'updated_at', 'production',
      'keywords',
    ];
    for (const r of all) {
      assert.deepEqual(Object.keys(r), keys);
      assert.equal(typeof r.adult, 'boolean');
      assert.equal(typeof r.video, 'boolean');
      assert.ok(Number.isInteger(r.vote_count) && (r.vote_count as number) >= 0);
      assert.ok(!Number.isInteger(r.popularity) && r.popularity > 0, 'popularity is a non-integral double');
      assert.ok(!Number.isInteger(r.vote_average) && r.vote_average >= 0 && r.vote_average <= 10);
      assert.match(r.release_date, /^(19[5-9]\d|20[0-2]\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d)$/);
      assert.match(r.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(new Date(r.updated_at).toISOString(), r.updated_at);
      assert.ok(r.overview.length >= 150 && r.overview.length <= 300, `overview length ${r.overview.length}`);
      assert.ok(r.genre_ids.length >= 1 && r.genre_ids.every(Number.isInteger));
      assert.ok(Number.isInteger(r.production.budget) && Number.isInteger(r.production.revenue));
      assert.ok(r.production.countries.length >= 1);
      for (const p of [r.poster_path, r.backdrop_path]) if (p !== null) assert.match(p, /^\/[0-9A-Za-z]{27}\.jpg$/);
    }
  });

  it('ids are index + 1, so unique and ascending', () => {
    all.forEach((r, i) => assert.equal(r.id, i + 1));
  });

  it('has the advertised oddities at roughly their rates', () => {
    const poster = rate((r) => r.poster_path === null);
    assert.ok(poster > 0.03 && poster < 0.07, `poster_path null rate ${poster}`);
    const nullKw = rate((r) => r.keywords.includes(null));
    assert.ok(nullKw > 0.05 && nullKw < 0.15, `keywords-with-null rate ${nullKw}`);
    assert.ok(rate((r) => r.production.revenue > 2 ** 31) > 0.05, 'some revenues need 64-bit integers');
    assert.ok(rate((r) => /[^\x00-\x7f]/.test(r.original_title)) > 0.05, 'non-ASCII titles exist');
  });

  it('puts non-Latin-1 titles only on every 1000th record (index 6, 1006, ...)', () => {
    const native = all.flatMap((r, i) => (/[^\x00-\xff]/.test(JSON.stringify(r)) ? [i] : []));
    assert.deepEqual(native, [6, 1006, 2006, 3006, 4006]);
  });

  it('is deterministic per (seed, index) and differs across seeds', () => {
    const again = new Catalogue(1, 10);
    assert.deepEqual(again.record(3), all[3]);
    assert.deepEqual(cat.record(4999), all[4999]);
    const other = new Catalogue(2, N);
    const differing = all.filter((r, i) => JSON.stringify(other.record(i)) !== JSON.stringify(r)).length;
    assert.equal(differing, N);
  });

  it('matches the documented sample (a change here changes every downstream fixture)', () => {
    const r = all[0];
    assert.equal(r.title, 'Desert of the Symphony');
    assert.equal(r.backdrop_path, '/6j02GEtssPJSTHxnkyj6prfqKtJ.jpg');
    assert.equal(r.popularity, 181.472);
    assert.equal(r.updated_at, '2023-09-29T08:18:55.055Z');
    assert.deepEqual(r.production, { budget: 292609000, revenue: 0, countries: ['US'] });
    assert.deepEqual(r.keywords, ['time travel', 'dystopia']);
  });

  it('drift turns vote_count into a string and adds tagline, leaving the rest alone', () => {
    const d = cat.record(10, true);
    assert.equal(typeof d.vote_count, 'string');
    assert.equal(d.vote_count, String(all[10].vote_count));
    assert.equal(typeof d.tagline, 'string');
    const { vote_count: _a, tagline: _b, ...rest } = d;
    const { vote_count: _c, ...base } = all[10];
    assert.deepEqual(rest, base);
  });

  it('indicesForYear lists exactly the records of that year, ascending', () => {
    let total = 0;
    for (let y = 1950; y <= 2024; y++) {
      const list = [...cat.indicesForYear(y)];
      total += list.length;
      assert.deepEqual(list, [...list].sort((a, b) => a - b));
      for (const i of list) assert.equal(all[i].release_date.slice(0, 4), String(y));
    }
    assert.equal(total, N);
    assert.equal(cat.indicesForYear(1900).length, 0);
  });

  it('isoUtc matches Date#toISOString', () => {
    for (let k = 0; k < 20000; k++) {
      const ms = Math.floor((k * 2654435761) % 253402300799999);
      assert.equal(isoUtc(ms), new Date(ms).toISOString());
    }
    assert.equal(isoUtc(Date.UTC(2024, 1, 29, 23, 59, 59, 5)), '2024-02-29T23:59:59.005Z');
  });
});

describe('Catalogue: added records (incremental runs)', () => {
  const BASE = 1000;
  const AFTER = '2031-06-30';
  const base = new Catalogue(1, BASE);
  const grown = new Catalogue(1, 1234, { baseIndex: BASE, afterDay: parseIsoDay(AFTER)! });

  it('keeps every record up to baseSize exactly (a larger size with the same seed changes no record)', () => {
    for (let i = 0; i < BASE; i++) assert.deepEqual(grown.record(i), base.record(i));
    for (let i = 0; i < BASE; i++) assert.deepEqual(new Catalogue(1, 1234).record(i), all[i]);
  });

  it('dates added records after addedAfter, in id order, ten a day; only release_date differs', () => {
    const dates = Array.from({ length: 234 }, (_, k) => grown.record(BASE + k).release_date);
    assert.equal(dates[0], '2031-07-01');
    assert.equal(dates[9], '2031-07-01');
    assert.equal(dates[10], '2031-07-02');
    assert.equal(dates[233], '2031-07-24');
    assert.deepEqual(dates, [...dates].sort());
    const { release_date: _a, ...added } = grown.record(BASE + 5);
    const { release_date: _b, ...plain } = new Catalogue(1, 1234).record(BASE + 5);
    assert.deepEqual(added, plain);
  });

  it('the default addedAfter is later than every base release date', () => {
    const latest = all.reduce((max, r) => (r.release_date > max ? r.release_date : max), '');
    assert.ok(latest <= '2024-12-28', latest);
    assert.ok(MOCK_DEFAULTS.addedAfter > latest);
  });

  it('year slices and the release order include the added records', () => {
    assert.deepEqual([...grown.indicesForYear(2031)], Array.from({ length: 234 }, (_, k) => BASE + k));
    assert.deepEqual([...grown.indicesForYear(1987)], [...base.indicesForYear(1987)]);
    const order = grown.releaseIndex().window(parseIsoDay(AFTER)! + 1);
    assert.deepEqual(Array.from({ length: order.length }, (_, p) => order.indexAt(p)), [...grown.indicesForYear(2031)]);
  });
});

describe('Catalogue.releaseIndex', () => {
  it('orders the whole catalogue by (release_date, id)', () => {
    const expected = all.map((r) => ({ d: r.release_date, id: r.id }));
    expected.sort((a, b) => (a.d < b.d ? -1 : a.d > b.d ? 1 : a.id - b.id));
    const seq = cat.releaseIndex().window();
    const ids = Array.from({ length: seq.length }, (_, p) => seq.indexAt(p) + 1);
    assert.deepEqual(ids, expected.map((e) => e.id));
  });
});
