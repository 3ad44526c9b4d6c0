import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startMockApi } from './server.js';
import { getJson } from './spec-helpers.js';

type Rec = { id: number };

describe('insertEvery', () => {
  it('page style: every N requests one record appears at the head, so the next page repeats one', async () => {
    const api = await startMockApi({ size: 1000, perPage: 100, insertEvery: 3 });
    try {
      const pages: number[][] = [];
      for (let p = 1; p <= 10; p++) {
        const { body } = await getJson(`${api.url}/3/movie/popular?page=${p}`);
        pages.push(body.results.map((r: Rec) => r.id));
      }
      // requests 1-3 see shift 0, 4-6 shift 1, 7-9 shift 2, 10 shift 3
      assert.equal(pages[2].at(-1), 300);
      assert.equal(pages[3][0], 300, 'page 4 starts with the last record of page 3');
      const ids = pages.flat();
      const repeats = ids.length - new Set(ids).size;
      assert.equal(repeats, 3);
      const { body } = await getJson(`${api.url}/3/movie/popular?page=1`);
      assert.ok(body.total_results > 1000, 'total grows with inserts');
      assert.ok(body.results[0].id > 1000, 'inserted records carry new ids');
    } finally {
      await api.close();
    }
  });

  it('offset and cursor styles repeat too; the keyset link style does not', async () => {
    const api = await startMockApi({ size: 300, perPage: 50, insertEvery: 2 });
    try {
      const offsetIds: number[] = [];
      for (let o = 0; o < 300; o += 50) {
        offsetIds.push(...(await getJson(`${api.url}/movies?offset=${o}&limit=50`)).body.results.map((r: Rec) => r.id));
      }
      assert.ok(offsetIds.length > new Set(offsetIds).size, 'offset walk sees a duplicate');
      const linkIds: number[] = [];
      let url: string | null = `${api.url}/link?limit=50`;
      while (url) {
        const { body }: { body: any } = await getJson(url);
        linkIds.push(...body.results.map((r: Rec) => r.id));
        url = body.links.next;
      }
      assert.equal(linkIds.length, new Set(linkIds).size, 'keyset walk has no duplicates');
    } finally {
      await api.close();
    }
  });

  it('is off by default: repeated walks see identical pages', async () => {
    const api = await startMockApi({ size: 300, perPage: 50 });
    try {
      const a = await getJson(`${api.url}/3/movie/popular?page=2`);
      for (let i = 0; i < 5; i++) await getJson(`${api.url}/3/movie/popular?page=1`);
      const b = await getJson(`${api.url}/3/movie/popular?page=2`);
      assert.deepEqual(b.body, a.body);
    } finally {
      await api.close();
    }
  });
});
