import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../clock.js';
import { Catalogue } from './catalogue.js';
import { KEEP_ALIVE_MS } from './constants.js';
import { FaultPlanner } from './faults.js';
import { addedRecordsOf, resolveMockOptions } from './options.js';
import { errorResult, jsonResult, type RouteContext } from './params.js';
import { sendHtml, sendReset, sendResult, sendTruncated } from './respond.js';
import { isDataRoute, notFound, route } from './routes.js';
import { StatsRecorder } from './stats.js';
import { Timers } from './timers.js';
import { TokenBucket } from './token-bucket.js';
import type { MockApi, MockApiOptions, RouteResult } from './types.js';
import { CatalogueView } from './view.js';

export { MOCK_DEFAULTS } from './constants.js';
export type { MockApi, MockApiOptions, MockStats, MovieRecord } from './types.js';

/**
 * Starts the demo API (docs/design.md, "The demo API") and resolves once it listens.
 * ```ts
 * const api = await startMockApi({ size: 1050, errorRate: 0.1 });
 * await fetch(`${api.url}/3/movie/popular?page=2`); // {"page":2,"results":[…],"total_pages":11,…}
 * await api.close();
 * ```
 * Request pipeline for data routes: auth (401: bearer token, then `requireParam`) -> token bucket (429) -> parameters (400) -> seeded fault
 * and latency -> body. `/_stats` and `/_health` skip all of it. Throws ConfigError on a bad option.
 */
export async function startMockApi(opts: Partial<MockApiOptions> = {}): Promise<MockApi> {
  const o = resolveMockOptions(opts);
  const catalogue = new Catalogue(o.seed, o.size, addedRecordsOf(o));
  const faults = new FaultPlanner(o);
  const burst = Math.max(1, o.rateLimit);
  const bucket = o.rateLimit > 0 ? new TokenBucket(o.rateLimit, burst, systemClock) : undefined;
  const stats = new StatsRecorder();
  const timers = new Timers();
  let sequence = 0;
  let served = 0;
  let baseUrl = '';

  const liveView = () => {
    const shift = o.insertEvery > 0 ? Math.floor(served / o.insertEvery) : 0;
    served++;
    return CatalogueView.shifted(o.size, shift);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    let url: URL;
    try {
      url = new URL(`http://mock${req.url ?? '/'}`);
    } catch {
      return sendResult(res, errorResult(400, 'Malformed request target.'), 0, timers);
    }
    if (url.pathname === '/_stats') return sendResult(res, jsonResult(200, stats.snapshot()), 0, timers);
    if (url.pathname === '/_health') return sendResult(res, jsonResult(200, { ok: true }), 0, timers);

    const seq = ++sequence;
    stats.request(req.headers.authorization !== undefined);
    /** Sends an answer without records (errors, 401, 429, 404) after `delayMs`. */
    const finish = (result: RouteResult, delayMs = faults.latencyFor(seq)) =>
      timers.after(delayMs, () => {
        if (res.destroyed) return;
        stats.outcome(result.status);
        sendResult(res, result, 0, timers);
      });

    if (!isDataRoute(url.pathname)) return finish(notFound(url.pathname));
    if (o.requireToken !== undefined && req.headers.authorization !== `Bearer ${o.requireToken}`) {
      const headers = { 'WWW-Authenticate': 'Bearer' };
      return finish(errorResult(401, 'Invalid API key: You must be granted a valid key.', headers));
    }
    if (o.requireParam !== undefined && url.searchParams.get(o.requireParam.name) !== o.requireParam.value) {
      return finish(errorResult(401, `Invalid API key: the ${o.requireParam.name} parameter is missing or wrong.`));
    }
    let rateHeaders: Record<string, string> = {};
    if (bucket) {
      const t = bucket.take();
      rateHeaders = {
        'RateLimit-Limit': String(burst),
        'RateLimit-Remaining': String(t.remaining),
        'RateLimit-Reset': String(t.resetSeconds),
      };
      if (!t.ok) {
        const retryAfter = o.retryAfterDate ? httpDate(t.retryAfterSeconds) : String(t.retryAfterSeconds);
        const headers = { ...rateHeaders, 'Retry-After': retryAfter };
        return finish(errorResult(429, 'Your request count is over the allowed limit.', headers));
      }
    }

    const origin = req.headers.host ? `http://${req.headers.host}` : baseUrl;
    const echo = o.echoParam === undefined ? undefined : (url.searchParams.get(o.echoParam) ?? undefined);
    const ctx: RouteContext = { catalogue, options: o, origin, liveView, echo };
    const routed = route(ctx, req.method ?? 'GET', url);
    if (!('faultKey' in routed)) return finish(withHeaders(routed, rateHeaders));

    const { fault, delayMs } = faults.decide(routed.faultKey);
    if (fault.kind === 'error') {
      return finish(errorResult(fault.status, 'Injected server error.', rateHeaders), delayMs);
    }
    timers.after(delayMs, () => {
      if (res.destroyed) return;
      if (fault.kind === 'reset') {
        stats.outcome('reset');
        return sendReset(res);
      }
      if (fault.kind === 'html') {
        stats.outcome(200);
        return sendHtml(res);
      }
      let result: RouteResult;
      try {
        result = withHeaders(routed.render(), rateHeaders);
      } catch (err) {
        result = errorResult(500, `Mock failed to render: ${(err as Error).message}`);
      }
      stats.outcome(result.status);
      if (fault.kind === 'truncate') return sendTruncated(res, result);
      sendResult(res, result, o.slowBodyMs, timers);
    });
  };

  const server = createServer(handle);
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  baseUrl = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

  return {
    url: baseUrl,
    stats: () => stats.snapshot(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        timers.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function withHeaders(result: RouteResult, headers: Record<string, string>): RouteResult {
  return { ...result, headers: { ...result.headers, ...headers } };
}

/** HTTP-date at least `seconds` from now (rounded up to the next whole second). */
function httpDate(seconds: number): string {
  return new Date(Math.ceil(Date.now() / 1000 + seconds) * 1000).toUTCString();
}
