import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startMockApi } from './server.js';
import { rawGet } from './spec-helpers.js';

const PATHS = [
  '/3/movie/popular?page=3',
  '/movies?offset=250&limit=40',
  '/cursor?limit=30',
  '/array?page=2',
  '/link?after=17&limit=5',
];

/** Response bodies for PATHS, with the server's own origin replaced so that two servers compare equal. */
async function bodies(seed: number): Promise<string[]> {
  const api = await startMockApi({ size: 1050, seed });
  try {
    const out: string[] = [];
    for (const p of PATHS) {
      const r = await rawGet(api.url + p);
      assert.equal(r.kind, 'response');
      if (r.kind === 'response') out.push(r.body.toString('utf8').replaceAll(api.url, 'ORIGIN'));
    }
    return out;
  } finally {
    await api.close();
  }
}

describe('determinism', () => {
  it('the same seed gives the same bytes on a fresh server', async () => {
    const [a, b] = [await bodies(7), await bodies(7)];
    assert.deepEqual(a, b);
    assert.ok(a[0].length > 10_000);
  });

  it('a different seed gives different records (same ids)', async () => {
    const [a, b] = [await bodies(7), await bodies(8)];
    for (let i = 0; i < PATHS.length; i++) assert.notEqual(a[i], b[i], PATHS[i]);
    const ids = (s: string) => (JSON.parse(s).results as { id: number }[]).map((r) => r.id);
    assert.deepEqual(ids(a[0]), ids(b[0]));
  });

  it('repeating a request on one server gives the same bytes', async () => {
    const api = await startMockApi({ size: 1050, seed: 3 });
    try {
      const [x, y] = [await rawGet(`${api.url}/movies?offset=5`), await rawGet(`${api.url}/movies?offset=5`)];
      assert.ok(x.kind === 'response' && y.kind === 'response');
      assert.ok(x.body.equals(y.body));
    } finally {
      await api.close();
    }
  });
});
