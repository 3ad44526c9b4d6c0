import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startMockApi } from './server.js';

async function burst(url: string, n: number): Promise<Response[]> {
  const out: Response[] = [];
  for (let i = 0; i < n; i++) {
    const r = await fetch(url);
    await r.arrayBuffer();
    out.push(r);
  }
  return out;
}

describe('rate limit (token bucket)', () => {
  it('answers 429 with Retry-After in seconds once the burst is spent', async () => {
    const api = await startMockApi({ size: 100, rateLimit: 5 });
    try {
      const rs = await burst(`${api.url}/3/movie/popular`, 12);
      const statuses = rs.map((r) => r.status);
      assert.deepEqual(statuses.slice(0, 5), [200, 200, 200, 200, 200]);
      assert.ok(statuses.slice(5).includes(429), statuses.join(','));
      const limited = rs.find((r) => r.status === 429)!;
      const retryAfter = limited.headers.get('retry-after');
      assert.match(retryAfter ?? '', /^[1-9]\d*$/);
      assert.equal(limited.headers.get('ratelimit-remaining'), '0');
      assert.match(limited.headers.get('ratelimit-reset') ?? '', /^\d+$/);
      assert.equal(rs[0].headers.get('ratelimit-remaining'), '4');
      assert.equal(rs[0].headers.get('ratelimit-limit'), '5');
      assert.equal(api.stats().byStatus['429'], statuses.filter((s) => s === 429).length);
      const stats = await (await fetch(`${api.url}/_stats`)).json();
      assert.equal(stats.requests, 12, '/_stats is never rate limited nor counted');
    } finally {
      await api.close();
    }
  });

  it('refills: after Retry-After seconds a request passes again', async () => {
    const api = await startMockApi({ size: 100, rateLimit: 2 });
    try {
      const rs = await burst(`${api.url}/movies`, 4);
      const limited = rs.find((r) => r.status === 429);
      assert.ok(limited);
      const wait = Number(limited.headers.get('retry-after'));
      await new Promise((r) => setTimeout(r, wait * 1000));
      assert.equal((await fetch(`${api.url}/movies`)).status, 200);
    } finally {
      await api.close();
    }
  });

  it('retryAfterDate sends an HTTP-date at least a second ahead', async () => {
    const api = await startMockApi({ size: 100, rateLimit: 1, retryAfterDate: true });
    try {
      const rs = await burst(`${api.url}/cursor`, 5);
      const limited = rs.find((r) => r.status === 429);
      assert.ok(limited);
      const header = limited.headers.get('retry-after') ?? '';
      assert.match(header, /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/);
      const ahead = Date.parse(header) - Date.now();
      assert.ok(ahead > 0 && ahead <= 2000, `${ahead} ms ahead`);
    } finally {
      await api.close();
    }
  });
});
