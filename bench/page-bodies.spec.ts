import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PageBodies } from './page-bodies.js';
import { movie } from './parquet-records.js';

const parse = (b: Buffer) => JSON.parse(b.toString('utf8'));

test('template pages are exactly the generator output, in TMDB shape', () => {
  const bodies = new PageBodies({ pages: 3, perPage: 4, template: 3 });
  const body = parse(bodies.body(2));
  assert.deepEqual(body.results, [4, 5, 6, 7].map(movie));
  assert.equal(body.page, 2);
  assert.equal(body.total_pages, 3);
  assert.equal(body.total_results, 12);
});

test('pages past the template reuse its records with ids of their own', () => {
  const bodies = new PageBodies({ pages: 5, perPage: 4, template: 2 });
  const ids = [1, 2, 3, 4, 5].flatMap((p) => parse(bodies.body(p)).results.map((r: { id: number }) => r.id));
  assert.deepEqual(ids, Array.from({ length: 20 }, (_, i) => 100_000 + i));
  const { id, ...rest } = parse(bodies.body(3)).results[1];
  assert.equal(id, 100_009);
  const { id: _, ...templateRest } = movie(1); // page 3 repeats page 1's text
  assert.deepEqual(rest, templateRest);
});

test('a page past the last is empty, and the template is capped by the page count', () => {
  const bodies = new PageBodies({ pages: 2, perPage: 3, template: 10 });
  assert.deepEqual(parse(bodies.body(3)).results, []);
  assert.equal(parse(bodies.body(2)).results.length, 3);
  assert.ok(bodies.meanBodyBytes > 3 * 300, 'TMDB-shaped records are a few hundred bytes each');
});
