import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Catalogue } from './catalogue.js';
import { isoDay, parseIsoDay } from './dates.js';
import { startMockApi, type MockApi, type MovieRecord } from './server.js';
import { getJson } from './spec-helpers.js';

const SIZE = 1050;
const PER_PAGE = 10;
const MAX_PAGES = 20;
/** Records one window can page through. */
const CAP = PER_PAGE * MAX_PAGES;
const OPTIONS = { size: SIZE, perPage: PER_PAGE, maxPages: MAX_PAGES };

/** Brute force, independent of the server's index: ids released in [gte, lte] by (release_date, id). */
function expectedIds(records: MovieRecord[], gte = '0000-01-01', lte = '9999-12-31'): number[] {
  return records
    .filter((r) => r.release_date >= gte && r.release_date <= lte)
    .sort((a, b) => (a.release_date < b.release_date ? -1 : a.release_date > b.release_date ? 1 : a.id - b.id))
    .map((r) => r.id);
}

function windowQuery(gte?: string, lte?: string): string {
  const q = new URLSearchParams();
  if (gte) q.set('primary_release_date.gte', gte);
  if (lte) q.set('primary_release_date.lte', lte);
  return q.toString();
}

/** Pages 1..total_pages of one window. */
async function walkPages(api: MockApi, gte?: string, lte?: string): Promise<{ records: MovieRecord[]; total: number }> {
  const records: MovieRecord[] = [];
  let total = 0;
  for (let page = 1, pages = 1; page <= pages; page++) {
    const { body } = await getJson(`${api.url}/3/discover/movie?${windowQuery(gte, lte)}&page=${page}`);
    assert.equal(body.page, page);
    [pages, total] = [body.total_pages, body.total_results];
    records.push(...body.results);
  }
  return { records, total };
}

/** What a client must do against a capped API: halve every window that holds more than it may page. */
async function collectBySplitting(api: MockApi, gte: string, lte: string, splits = { count: 0 }): Promise<MovieRecord[]> {
  const { body } = await getJson(`${api.url}/3/discover/movie?${windowQuery(gte, lte)}`);
  if (body.total_results <= CAP) return (await walkPages(api, gte, lte)).records;
  const [lo, hi] = [parseIsoDay(gte)!, parseIsoDay(lte)!];
  assert.ok(hi > lo, `one day (${gte}) holds more than the cap`);
  splits.count++;
  const mid = Math.floor((lo + hi) / 2);
  const left = await collectBySplitting(api, gte, isoDay(mid), splits);
  return [...left, ...(await collectBySplitting(api, isoDay(mid + 1), lte, splits))];
}

const ids = (records: MovieRecord[]) => records.map((r) => r.id);

describe('/3/discover/movie and /discover/offset', () => {
  const catalogue = new Catalogue(1, SIZE);
  const all = Array.from({ length: SIZE }, (_, i) => catalogue.record(i));
  let api: MockApi;
  before(async () => {
    api = await startMockApi(OPTIONS);
  });
  after(() => api.close());

  it('filters by inclusive primary_release_date.gte/.lte, ordered by (release_date, id)', async () => {
    const day = all[500].release_date;
    const windows: [string?, string?][] = [['1980-03-05', '1984-11-28'], ['2020-01-01'], [undefined, '1955-06-30'], [day, day]];
    for (const [gte, lte] of windows) {
      const { records, total } = await walkPages(api, gte, lte);
      const expected = expectedIds(all, gte, lte);
      assert.ok(expected.length > 0 && expected.length <= CAP, `${gte}..${lte}: ${expected.length}`);
      assert.equal(total, expected.length);
      assert.deepEqual(ids(records), expected, `${gte}..${lte}`);
    }
    const empty = await getJson(`${api.url}/3/discover/movie?${windowQuery('2000-01-01', '1999-12-31')}`);
    assert.deepEqual(empty.body, { page: 1, results: [], total_pages: 0, total_results: 0 });
  });

  it('reports total_pages as min(real, maxPages) and total_results as the real count', async () => {
    const { body } = await getJson(`${api.url}/3/discover/movie?page=${MAX_PAGES}`);
    assert.equal(body.total_pages, MAX_PAGES);
    assert.equal(body.total_results, SIZE);
    assert.deepEqual(ids(body.results), expectedIds(all).slice(CAP - PER_PAGE, CAP));
  });

  it("answers a page outside 1..maxPages with TMDB's 400 body, status_code 22", async () => {
    const expected = `{"success":false,"status_code":22,"status_message":"Invalid page: Pages start at 1 and max at ${MAX_PAGES}. They are expected to be an integer."}`;
    for (const page of [String(MAX_PAGES + 1), '0', '-1', '1.5', 'abc', '']) {
      const res = await fetch(`${api.url}/3/discover/movie?page=${page}&${windowQuery('1990-01-01', '1990-01-31')}`);
      assert.equal(res.status, 400, `page=${page}`);
      assert.equal(await res.text(), expected, `page=${page}`);
    }
    const tmdb = await startMockApi({ size: 10 });
    try {
      const res = await fetch(`${tmdb.url}/3/discover/movie?page=501`);
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), {
        success: false,
        status_code: 22,
        status_message: 'Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.',
      });
      const last = await getJson(`${tmdb.url}/3/discover/movie?page=500`);
      assert.deepEqual(last.body, { page: 500, results: [], total_pages: 1, total_results: 10 });
    } finally {
      await tmdb.close();
    }
  });

  it('a bad date is a 400 naming the parameter; an empty one is no bound', async () => {
    for (const bad of ['2024-02-30', '2024-2-01', 'yesterday']) {
      const res = await fetch(`${api.url}/3/discover/movie?primary_release_date.lte=${bad}`);
      assert.equal(res.status, 400);
      assert.match((await res.json()).status_message, /^primary_release_date\.lte must be a date YYYY-MM-DD/);
    }
    const { body } = await getJson(`${api.url}/3/discover/movie?primary_release_date.gte=&primary_release_date.lte=`);
    assert.equal(body.total_results, SIZE);
  });

  it('self-splitting windows reach the whole catalogue exactly once, in order', async () => {
    const splits = { count: 0 };
    const records = await collectBySplitting(api, '1900-01-01', '2100-12-31', splits);
    assert.ok(splits.count >= 5, `${splits.count} splits`);
    assert.deepEqual(ids(records), expectedIds(all));
  });

  it('/discover/offset: the same windows and order, total in the body, the cap in records', async () => {
    const [gte, lte] = ['1960-01-01', '1969-12-31'];
    const got: number[] = [];
    for (let offset = 0; ; offset += 7) {
      const { body } = await getJson(`${api.url}/discover/offset?offset=${offset}&limit=7&${windowQuery(gte, lte)}`);
      assert.equal(body.total, expectedIds(all, gte, lte).length);
      if (body.results.length === 0) break;
      got.push(...ids(body.results));
    }
    assert.deepEqual(got, expectedIds(all, gte, lte));
    const last = await getJson(`${api.url}/discover/offset?offset=${CAP - PER_PAGE}`);
    assert.equal(last.body.limit, PER_PAGE);
    assert.deepEqual(ids(last.body.results), expectedIds(all).slice(CAP - PER_PAGE, CAP));
    const res = await fetch(`${api.url}/discover/offset?offset=${CAP - PER_PAGE}&limit=${PER_PAGE + 1}`);
    assert.equal(res.status, 400);
    assert.equal(
      (await res.json()).status_message,
      `Result window is too large: offset + limit must be <= ${CAP}, got ${CAP + 1}`,
    );
  });

  it('is deterministic: the same seed answers byte-identical pages, another seed does not', async () => {
    const twin = await startMockApi(OPTIONS);
    const other = await startMockApi({ ...OPTIONS, seed: 2 });
    try {
      const path = `/3/discover/movie?${windowQuery('1970-01-01', '1979-12-31')}&page=3`;
      const [a, b, c] = await Promise.all([api, twin, other].map(async (s) => (await fetch(s.url + path)).text()));
      assert.equal(a, b);
      assert.notEqual(a, c);
    } finally {
      await Promise.all([twin.close(), other.close()]);
    }
  });

  it('incremental: a grown catalogue keeps every old window and dates exactly the added ids after addedAfter', async () => {
    const grown = await startMockApi({ ...OPTIONS, size: SIZE + 150, baseSize: SIZE, addedAfter: '2024-12-31' });
    try {
      const run1 = await collectBySplitting(api, '1900-01-01', '2024-12-31');
      assert.deepEqual(await collectBySplitting(grown, '1900-01-01', '2024-12-31'), run1);
      const addedIds = Array.from({ length: 150 }, (_, k) => SIZE + 1 + k);
      // run 2 from the last run's end, whether the client takes that end as inclusive or not
      assert.deepEqual(ids(await collectBySplitting(grown, '2024-12-31', '2100-12-31')), addedIds);
      assert.deepEqual(ids(await collectBySplitting(grown, '2025-01-01', '2100-12-31')), addedIds);
      assert.deepEqual(await collectBySplitting(api, '2024-12-31', '2100-12-31'), []);
      const union = [...ids(run1), ...addedIds].sort((a, b) => a - b);
      assert.deepEqual(union, Array.from({ length: SIZE + 150 }, (_, i) => i + 1));
    } finally {
      await grown.close();
    }
  });
});
