import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startMockApi } from './server.js';
import { getJson } from './spec-helpers.js';

describe('driftAfterPage', () => {
  it('pages up to N keep the schema; later pages have string vote_count and a tagline', async () => {
    const api = await startMockApi({ size: 500, perPage: 100, driftAfterPage: 2 });
    try {
      for (const page of [1, 2]) {
        const { body } = await getJson(`${api.url}/3/movie/popular?page=${page}`);
        for (const r of body.results) {
          assert.equal(typeof r.vote_count, 'number');
          assert.equal('tagline' in r, false);
        }
      }
      const { body } = await getJson(`${api.url}/3/movie/popular?page=3`);
      for (const r of body.results) {
        assert.equal(typeof r.vote_count, 'string');
        assert.match(r.vote_count, /^\d+$/);
        assert.equal(typeof r.tagline, 'string');
      }
    } finally {
      await api.close();
    }
  });

  it('applies to the other styles by the page their window falls on', async () => {
    const api = await startMockApi({ size: 500, perPage: 100, driftAfterPage: 1 });
    try {
      const first = await getJson(`${api.url}/movies?offset=0&limit=100`);
      const second = await getJson(`${api.url}/movies?offset=100&limit=100`);
      assert.equal(typeof first.body.results[0].vote_count, 'number');
      assert.equal(typeof second.body.results[0].vote_count, 'string');
      const link = await getJson(`${api.url}/link?after=150&limit=100`);
      assert.equal(typeof link.body.results[0].tagline, 'string');
    } finally {
      await api.close();
    }
  });

  it('is off by default', async () => {
    const api = await startMockApi({ size: 500 });
    try {
      const { body } = await getJson(`${api.url}/3/movie/popular?page=5`);
      assert.equal(typeof body.results[0].vote_count, 'number');
    } finally {
      await api.close();
    }
  });
});
