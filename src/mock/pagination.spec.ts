import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMockApi, type MockApi } from './server.js';
import { getJson, linkRel } from './spec-helpers.js';

const SIZE = 1050;
const ALL_IDS = Array.from({ length: SIZE }, (_, i) => i + 1);

/** Asserts `ids` is exactly 1..SIZE in order, each once. */
function assertAllOnce(ids: number[]): void {
  assert.equal(new Set(ids).size, ids.length, 'no id repeats');
  assert.deepEqual(ids, ALL_IDS);
}

describe('every pagination style walks the whole catalogue exactly once', () => {
  let api: MockApi;
  before(async () => {
    api = await startMockApi({ size: SIZE, perPage: 100 });
  });
  after(() => api.close());

  it('page style, following total_pages; Link next/last agree', async () => {
    const ids: number[] = [];
    let totalPages = Infinity;
    for (let page = 1; page <= totalPages; page++) {
      const { body, headers } = await getJson(`${api.url}/3/movie/popular?page=${page}`);
      assert.equal(body.page, page);
      assert.equal(body.total_results, SIZE);
      assert.equal(headers.get('x-total-count'), String(SIZE));
      totalPages = body.total_pages;
      const link = headers.get('link');
      assert.equal(linkRel(link, 'last'), `${api.url}/3/movie/popular?page=11`);
      const next = linkRel(link, 'next');
      assert.equal(next, page < 11 ? `${api.url}/3/movie/popular?page=${page + 1}` : undefined);
      ids.push(...body.results.map((r: { id: number }) => r.id));
    }
    assert.equal(totalPages, 11);
    assertAllOnce(ids);
    const beyond = await getJson(`${api.url}/3/movie/popular?page=12`);
    assert.deepEqual(beyond.body.results, []);
    assert.equal(linkRel(beyond.headers.get('link'), 'next'), undefined);
  });

  it('page style with per_page, following only the Link header', async () => {
    const ids: number[] = [];
    let url: string | undefined = `${api.url}/3/movie/popular?per_page=77&language=en-US`;
    let requests = 0;
    while (url) {
      const { body, headers } = await getJson(url);
      ids.push(...body.results.map((r: { id: number }) => r.id));
      url = linkRel(headers.get('link'), 'next');
      if (url) assert.match(url, /language=en-US/, 'other query params are kept');
      requests++;
    }
    assert.equal(requests, Math.ceil(SIZE / 77));
    assertAllOnce(ids);
  });

  it('offset style', async () => {
    const ids: number[] = [];
    for (let offset = 0; ; offset += 100) {
      const { body, headers } = await getJson(`${api.url}/movies?offset=${offset}&limit=100`);
      assert.equal(body.offset, offset);
      assert.equal(body.limit, 100);
      assert.equal(body.total_results, SIZE);
      assert.equal(headers.get('x-total-count'), String(SIZE));
      if (body.results.length === 0) break;
      ids.push(...body.results.map((r: { id: number }) => r.id));
    }
    assertAllOnce(ids);
  });

  it('cursor style: opaque next_cursor, null at the end', async () => {
    const ids: number[] = [];
    let cursor: string | null | undefined;
    do {
      const q = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const { body } = await getJson(`${api.url}/cursor?limit=100${q}`);
      ids.push(...body.results.map((r: { id: number }) => r.id));
      cursor = body.meta.next_cursor;
      if (cursor !== null) assert.equal(typeof cursor, 'string');
    } while (cursor);
    assertAllOnce(ids);
  });

  it('cursor style sliced by year=: the slices partition the catalogue', async () => {
    const ids: number[] = [];
    let slicesWithData = 0;
    for (let year = 1950; year <= 2024; year++) {
      let cursor: string | null = '';
      do {
        const { body }: { body: any } = await getJson(`${api.url}/cursor?year=${year}&limit=7&cursor=${cursor ?? ''}`);
        for (const r of body.results) assert.equal(r.release_date.slice(0, 4), String(year));
        if (body.results.length) slicesWithData++;
        ids.push(...body.results.map((r: { id: number }) => r.id));
        cursor = body.meta.next_cursor;
      } while (cursor);
    }
    assert.ok(slicesWithData > 50);
    assertAllOnce(ids.sort((a, b) => a - b));
  });

  it('link style: body links.next equals the Link header, null at the end', async () => {
    const ids: number[] = [];
    let url: string | null = `${api.url}/link?limit=100`;
    while (url) {
      const { body, headers }: { body: any; headers: Headers } = await getJson(url);
      ids.push(...body.results.map((r: { id: number }) => r.id));
      const next: string | null = body.links.next;
      assert.equal(linkRel(headers.get('link'), 'next'), next ?? undefined);
      if (next) assert.ok(next.startsWith(`${api.url}/link?`), next);
      url = next;
    }
    assertAllOnce(ids);
  });

  it('array style: a top-level JSON array per page', async () => {
    const ids: number[] = [];
    for (let page = 1; ; page++) {
      const { body, headers } = await getJson(`${api.url}/array?page=${page}`);
      assert.ok(Array.isArray(body));
      assert.equal(headers.get('x-total-count'), String(SIZE));
      if (body.length === 0) break;
      ids.push(...body.map((r: { id: number }) => r.id));
    }
    assertAllOnce(ids);
  });
});
