import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startMockApi, type MockApiOptions } from './server.js';
import { rawGet, type RawOutcome } from './spec-helpers.js';

const PAGES = 300;

function classify(o: RawOutcome): string {
  if (o.kind !== 'response') return o.kind;
  if (String(o.headers['content-type']).startsWith('text/html')) return 'html';
  return String(o.status);
}

/** One request per page 1..PAGES (8 in flight); returns the outcome kinds and the server's stats. */
async function sweep(opts: Partial<MockApiOptions>) {
  const api = await startMockApi({ size: PAGES * 10, perPage: 10, ...opts });
  try {
    const kinds: string[] = new Array(PAGES);
    let next = 1;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let p = next++; p <= PAGES; p = next++) {
          kinds[p - 1] = classify(await rawGet(`${api.url}/3/movie/popular?page=${p}`));
        }
      }),
    );
    return { kinds, stats: api.stats() };
  } finally {
    await api.close();
  }
}

function share(kinds: string[], pred: (k: string) => boolean): number {
  return kinds.filter(pred).length / kinds.length;
}

describe('fault knobs over HTTP', () => {
  it('errorRate answers 500/502/503 at about its rate', async () => {
    const { kinds, stats } = await sweep({ errorRate: 0.2 });
    const s = share(kinds, (k) => /^50[023]$/.test(k));
    assert.ok(s > 0.12 && s < 0.28, `5xx share ${s}`);
    assert.equal(share(kinds, (k) => k === '200') + s, 1);
    const by = (k: string) => stats.byStatus[k] ?? 0;
    assert.equal(by('500') + by('502') + by('503'), Math.round(s * PAGES));
  });

  it('resetRate destroys sockets without a response', async () => {
    const { kinds, stats } = await sweep({ resetRate: 0.15 });
    const s = share(kinds, (k) => k === 'reset');
    assert.ok(s > 0.08 && s < 0.22, `reset share ${s}`);
    assert.equal(stats.byStatus.reset, Math.round(s * PAGES));
  });

  it('truncateRate sends 200 with a full Content-Length but half the body', async () => {
    const api = await startMockApi({ size: 3000, perPage: 10, truncateRate: 0.2 });
    try {
      let truncated = 0;
      for (let p = 1; p <= 150; p++) {
        const o = await rawGet(`${api.url}/3/movie/popular?page=${p}`);
        if (o.kind === 'reset') assert.fail('no resets configured');
        if (o.kind === 'truncated') {
          truncated++;
          assert.equal(o.status, 200);
          const full = Number(o.headers['content-length']);
          assert.ok(o.body.length > 0 && o.body.length <= full / 2 + 1, `${o.body.length} of ${full}`);
        }
      }
      assert.ok(truncated > 15 && truncated < 45, `truncated ${truncated}/150`);
    } finally {
      await api.close();
    }
  });

  it('htmlRate answers 200 text/html "Service busy"', async () => {
    const { kinds } = await sweep({ htmlRate: 0.25 });
    const s = share(kinds, (k) => k === 'html');
    assert.ok(s > 0.17 && s < 0.33, `html share ${s}`);
  });

  it('a retried page gets a fresh draw; the sequence is reproducible', async () => {
    const run = async () => {
      const api = await startMockApi({ size: 100, perPage: 10, errorRate: 0.5, seed: 4 });
      try {
        const out: string[] = [];
        for (let i = 0; i < 30; i++) out.push(classify(await rawGet(`${api.url}/3/movie/popular?page=2`)));
        return out;
      } finally {
        await api.close();
      }
    };
    const a = await run();
    assert.ok(a.includes('200') && a.some((k) => k !== '200'), a.join(','));
    assert.deepEqual(await run(), a);
  });

  it('latencyMs delays responses; slowBodyMs splits the body in time', async () => {
    const api = await startMockApi({ size: 100, latencyMs: 60, slowBodyMs: 80 });
    try {
      const t0 = performance.now();
      const res = await fetch(`${api.url}/3/movie/popular`);
      const tHeaders = performance.now() - t0;
      const body = await res.json();
      const tBody = performance.now() - t0;
      assert.equal(body.results.length, 100);
      assert.ok(tHeaders >= 55, `headers after ${tHeaders} ms`);
      assert.ok(tBody - tHeaders >= 60, `body took ${tBody - tHeaders} ms more`);
    } finally {
      await api.close();
    }
  });
});
