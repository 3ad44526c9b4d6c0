import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMockApi, type MockApi } from './server.js';

describe('routes and errors', () => {
  let api: MockApi;
  before(async () => {
    api = await startMockApi({ size: 250, errorRate: 0, resetRate: 0 });
  });
  after(() => api.close());

  it('serves JSON with charset and keep-alive', async () => {
    const res = await fetch(`${api.url}/3/movie/popular`);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(res.headers.get('connection'), 'keep-alive');
    assert.equal(Number(res.headers.get('content-length')), (await res.arrayBuffer()).byteLength);
  });

  it('400 JSON for a page that is not a positive integer', async () => {
    for (const bad of ['0', '-1', '1.5', 'abc', '']) {
      const res = await fetch(`${api.url}/3/movie/popular?page=${bad}`);
      assert.equal(res.status, 400, `page=${bad}`);
      assert.equal(typeof (await res.json()).status_message, 'string');
    }
    const others = ['/movies?offset=-5', '/movies?limit=0', '/cursor?cursor=bogus', '/link?after=x', '/cursor?year=abc'];
    for (const bad of others) {
      const res = await fetch(api.url + bad);
      assert.equal(res.status, 400, bad);
      await res.arrayBuffer();
    }
  });

  it('404 JSON for unknown routes, 405 for other methods', async () => {
    const res = await fetch(`${api.url}/3/movie/top_rated`);
    assert.equal(res.status, 404);
    assert.match((await res.json()).status_message, /could not be found/);
    const post = await fetch(`${api.url}/movies`, { method: 'POST', body: '{}' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET');
    await post.arrayBuffer();
  });

  it('per_page overrides perPage and is capped at 1000; limit likewise', async () => {
    const big = await startMockApi({ size: 2500 });
    try {
      const a = await (await fetch(`${big.url}/3/movie/popular?per_page=7`)).json();
      assert.equal(a.results.length, 7);
      assert.equal(a.total_pages, Math.ceil(2500 / 7));
      const b = await (await fetch(`${big.url}/3/movie/popular?per_page=5000`)).json();
      assert.equal(b.results.length, 1000);
      const c = await (await fetch(`${big.url}/movies?limit=5000`)).json();
      assert.equal(c.limit, 1000);
    } finally {
      await big.close();
    }
  });

  it('/_health and /_stats; stats count data requests only', async () => {
    const fresh = await startMockApi({ size: 10 });
    try {
      assert.deepEqual(await (await fetch(`${fresh.url}/_health`)).json(), { ok: true });
      await (await fetch(`${fresh.url}/nope`)).arrayBuffer();
      await (await fetch(`${fresh.url}/movies`, { headers: { Authorization: 'Bearer x' } })).arrayBuffer();
      const stats = await (await fetch(`${fresh.url}/_stats`)).json();
      assert.deepEqual(stats, { requests: 2, byStatus: { '404': 1, '200': 1 }, authorizationSeen: 1 });
      assert.deepEqual(fresh.stats(), stats);
    } finally {
      await fresh.close();
    }
  });

  it('url is http://127.0.0.1:PORT and close() frees the port', async () => {
    const s = await startMockApi({ size: 10 });
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    await s.close();
    await assert.rejects(fetch(`${s.url}/_health`));
  });

  it('close() resolves promptly with slow bodies and latency still pending', async () => {
    const slow = await startMockApi({ size: 100, latencyMs: 5000, slowBodyMs: 5000 });
    const pending = fetch(`${slow.url}/movies`).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await slow.close();
    assert.ok(performance.now() - t0 < 1000);
    assert.equal(await pending, 'failed');
  });

  it('rejects bad options before listening', async () => {
    await assert.rejects(startMockApi({ errorRate: 2 }), { code: 'PF_ERR_CONFIG' });
  });
});
