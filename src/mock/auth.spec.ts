import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startMockApi } from './server.js';

describe('requireToken', () => {
  it('401 JSON without the right bearer token; 200 with it; counts Authorization headers', async () => {
    const api = await startMockApi({ size: 100, requireToken: 's3cret' });
    try {
      const none = await fetch(`${api.url}/3/movie/popular`);
      assert.equal(none.status, 401);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer');
      assert.match((await none.json()).status_message, /API key/);
      const wrong = await fetch(`${api.url}/3/movie/popular`, { headers: { Authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 401);
      await wrong.arrayBuffer();
      const ok = await fetch(`${api.url}/3/movie/popular`, { headers: { Authorization: 'Bearer s3cret' } });
      assert.equal(ok.status, 200);
      assert.equal((await ok.json()).results.length, 100);
      assert.deepEqual(api.stats(), { requests: 3, byStatus: { '401': 2, '200': 1 }, authorizationSeen: 2 });
      assert.equal((await fetch(`${api.url}/_health`)).status, 200, 'control routes need no token');
    } finally {
      await api.close();
    }
  });
});

describe('requireParam and echoParam', () => {
  it('401 unless the query parameter has the value; records echo the parameter as sent', async () => {
    const key = `a~b(c)d!e'f g/h+i%j"k\\l`;
    const api = await startMockApi({ size: 300, perPage: 10, requireParam: { name: 'api_key', value: key }, echoParam: 'api_key' });
    try {
      const q = new URLSearchParams({ api_key: key }).toString();
      assert.equal((await fetch(`${api.url}/cursor?limit=5`)).status, 401);
      assert.equal((await fetch(`${api.url}/cursor?limit=5&api_key=${encodeURIComponent(key.slice(1))}`)).status, 401);
      const cursor = await (await fetch(`${api.url}/cursor?limit=5&${q}`)).json();
      assert.deepEqual(cursor.results.map((r: { echo: string }) => r.echo), Array(5).fill(key));
      const link = await (await fetch(`${api.url}/link?limit=5&api_key=${encodeURIComponent(key)}`)).json();
      assert.equal(new URL(link.links.next).searchParams.get('api_key'), key, 'the next link carries the parameter');
      const page = await (await fetch(`${api.url}/3/movie/popular?${q}`)).json();
      assert.equal(page.results[0].echo, key);
      assert.deepEqual(api.stats().byStatus, { '401': 2, '200': 3 });
    } finally {
      await api.close();
    }
  });

  it('without echoParam records have no echo field', async () => {
    const api = await startMockApi({ size: 20, perPage: 5 });
    try {
      const page = await (await fetch(`${api.url}/3/movie/popular?api_key=k`)).json();
      assert.equal('echo' in page.results[0], false);
    } finally {
      await api.close();
    }
  });
});

describe('crossOriginNext', () => {
  it('link next URLs on page 2+ point at the other origin, which never sees our credentials', async () => {
    const other = await startMockApi({ size: 1000 });
    const api = await startMockApi({ size: 1000, crossOriginNext: other.url, requireToken: 't' });
    try {
      const auth = { Authorization: 'Bearer t' };
      const p1 = await (await fetch(`${api.url}/link?limit=100`, { headers: auth })).json();
      assert.ok(p1.links.next.startsWith(`${api.url}/link?`), 'page 1 links to its own origin');
      const r2 = await fetch(p1.links.next, { headers: auth });
      const p2 = await r2.json();
      assert.equal(p2.links.next, `${other.url}/link?limit=100&after=200`);
      assert.equal(r2.headers.get('link'), `<${other.url}/link?limit=100&after=200>; rel="next"`);
      // a careful client follows without credentials; the other origin serves the continuation
      const p3 = await (await fetch(p2.links.next)).json();
      assert.equal(p3.results[0].id, 201);
      assert.equal(other.stats().authorizationSeen, 0);
      assert.equal(other.stats().requests, 1);
      // a careless client would leak: the other origin counts it
      await (await fetch(p2.links.next, { headers: auth })).arrayBuffer();
      assert.equal(other.stats().authorizationSeen, 1);
    } finally {
      await Promise.all([api.close(), other.close()]);
    }
  });
});
