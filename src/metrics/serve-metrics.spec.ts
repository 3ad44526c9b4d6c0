import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMetricsPort, serveMetrics } from './serve-metrics.js';

describe('serveMetrics', () => {
  it('serves the rendered text on GET /metrics only, rendered at each scrape', async () => {
    let n = 0;
    const endpoint = await serveMetrics('127.0.0.1', 0, () => `pf_scrapes ${++n}\n`);
    try {
      assert.match(endpoint.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const first = await fetch(endpoint.url);
      assert.equal(first.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      assert.equal(await first.text(), 'pf_scrapes 1\n');
      assert.equal(await (await fetch(endpoint.url + '?x=1')).text(), 'pf_scrapes 2\n');
      assert.equal((await fetch(endpoint.url.replace('/metrics', '/'))).status, 404);
      assert.equal((await fetch(endpoint.url, { method: 'POST' })).status, 404);
    } finally {
      await endpoint.close();
    }
    await assert.rejects(fetch(endpoint.url), 'closed');
  });

  it('a port in use is a ConfigError naming --metrics-port', async () => {
    const a = await serveMetrics('127.0.0.1', 0, () => '');
    try {
      const port = Number(new URL(a.url).port);
      await assert.rejects(serveMetrics('127.0.0.1', port, () => ''), { code: 'PF_ERR_CONFIG', message: `--metrics-port: cannot listen on 127.0.0.1:${port} (EADDRINUSE)` });
    } finally {
      await a.close();
    }
  });
});

describe('parseMetricsPort', () => {
  it('takes 0..65535 and refuses anything else', () => {
    assert.equal(parseMetricsPort('0'), 0);
    assert.equal(parseMetricsPort('9464'), 9464);
    for (const bad of ['', '-1', '65536', '9464.5', 'http', '1e3']) assert.throws(() => parseMetricsPort(bad), /--metrics-port: expected a port from 0 to 65535/);
  });
});
