import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HttpResponse } from '../http/types.js';
import { extractRecords } from './body.js';
import { CursorPagination } from './cursor.js';
import { LinkPagination } from './link.js';
import { parseLinkHeader } from './link-header.js';
import { OffsetPagination } from './offset.js';
import { PagePagination } from './page.js';

const res = (body: unknown, headers: Record<string, string> = {}, url = 'https://api.test/x'): HttpResponse => ({
  status: 200, headers, body, bytes: 0, attempts: 1, url,
});

test('page: URL, and last page from total_pages capped by end', () => {
  const p = new PagePagination('https://api.test/x?lang=en', { style: 'page', param: 'page', start: 1, totalPages: 'total_pages', linkLast: false, end: 500 });
  assert.equal(p.url(3), 'https://api.test/x?lang=en&page=3');
  assert.equal(p.lastFromResponse(res({ total_pages: 42 }), 20), 42);
  assert.equal(p.lastFromResponse(res({ total_pages: 9000 }), 20), 500);
});

test('page: last page from total_results, X-Total-Count and Link rel=last', () => {
  const byResults = new PagePagination('https://api.test/x', { style: 'page', param: 'page', start: 1, totalResults: 'total', linkLast: false });
  assert.equal(byResults.lastFromResponse(res({ total: 1001 }), 100), 11);
  assert.equal(byResults.lastFromResponse(res({ total: 0 }), 0), 0);
  const byHeader = new PagePagination('https://api.test/x', { style: 'page', param: 'page', start: 0, totalHeader: 'X-Total-Count', linkLast: false });
  assert.equal(byHeader.lastFromResponse(res({}, { 'x-total-count': '250' }), 100), 2);
  const byLink = new PagePagination('https://api.test/x', { style: 'page', param: 'page', start: 1, linkLast: true });
  assert.equal(byLink.lastFromResponse(res({}, { link: '<https://api.test/x?page=2>; rel="next", <https://api.test/x?page=77>; rel="last"' }), 10), 77);
  assert.equal(byLink.lastFromResponse(res({}, {}), 10), 1);
});

test('offset: page k asks for start + k*limit; last from total', () => {
  const p = new OffsetPagination('https://api.test/m', { style: 'offset', param: 'offset', limitParam: 'limit', limit: 100, start: 0, total: 'total_results' });
  assert.equal(p.url(2), 'https://api.test/m?offset=200&limit=100');
  assert.equal(p.lastFromResponse(res({ total_results: 1050 })), 10);
  assert.equal(p.lastFromResponse(res({ total_results: 1000 })), 9);
  assert.equal(p.lastFromResponse(res({ total_results: 0 })), -1);
});

test('cursor: next from the body, null ends', () => {
  const c = new CursorPagination('https://api.test/c', { style: 'cursor', param: 'cursor', next: 'meta.next_cursor', limitParam: 'limit', limit: 50 });
  assert.equal(c.firstUrl({ year: '2020' }), 'https://api.test/c?limit=50&year=2020');
  assert.equal(c.nextUrl(res({ meta: { next_cursor: 'abc' } }), 'https://api.test/c?limit=50'), 'https://api.test/c?limit=50&cursor=abc');
  assert.equal(c.nextUrl(res({ meta: { next_cursor: null } }), 'https://api.test/c'), undefined);
  assert.equal(c.nextUrl(res({}), 'https://api.test/c'), undefined);
});

test('link: body path or Link header, relative links resolved', () => {
  const body = new LinkPagination('https://api.test/l', { style: 'link', next: 'links.next' });
  assert.equal(body.nextUrl(res({ links: { next: '/l?after=5' } }), 'https://api.test/l'), 'https://api.test/l?after=5');
  assert.equal(body.nextUrl(res({ links: { next: null } }), 'https://api.test/l'), undefined);
  const header = new LinkPagination('https://api.test/l', { style: 'link', header: 'link' });
  assert.equal(header.nextUrl(res({}, { link: '<https://other.test/l?after=9>; rel="next"' }), 'https://api.test/l'), 'https://other.test/l?after=9');
});

test('Link header parsing', () => {
  assert.deepEqual(parseLinkHeader('<a?x=1,2>; rel="next", <b>; rel=last'), { next: 'a?x=1,2', last: 'b' });
  assert.deepEqual(parseLinkHeader(undefined), {});
});

test('records: dotted path, top-level array, clear error otherwise', () => {
  assert.deepEqual(extractRecords({ data: { items: [1] } }, 'data.items'), [1]);
  assert.deepEqual(extractRecords([1, 2], ''), [1, 2]);
  assert.throws(() => extractRecords({ results: {} }, 'results'), /source\.records: expected a list of records at path "results", found object/);
  assert.throws(() => extractRecords({}, 'results'), /found nothing/);
});
