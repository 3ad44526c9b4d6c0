/**
 * The benchmark's API: TMDB-shaped `/3/movie/popular?page=N` from precomputed bodies (bench/page-bodies.ts),
 * so the server is not what limits the clients. Keep-alive on. Run it in its own process:
 *
 *   node dist/bench/page-server.js [--port 0] [--pages 2000] [--per-page 100] [--template 2000]
 *                                  [--rate-limit R [--burst B]] [--log]
 *
 * Prints one JSON line `{"url", "pages", "perPage", "meanBodyBytes", "rate", "burst"}` once it listens. `--rate-limit R` puts a token bucket of R requests/s
 * (holding `--burst` tokens, default R/20) in front of the pages: an empty bucket answers 429 with
 * `Retry-After` in whole seconds. `--log` keeps one `[epoch ms, page, status]` entry per page request,
 * served as JSON at `GET /_bench/log`.
 */
import { createServer, type ServerResponse } from 'node:http';
import { systemClock } from '../src/clock.js';
import { TokenBucket } from '../src/mock/token-bucket.js';
import { PageBodies } from './page-bodies.js';
import { parseFlags, positiveInt } from './flags.js';
import { LOG_PATH, PAGES_PATH, type LogEntry } from './page-server-paths.js';

const args = parseFlags('page-server', {
  port: { type: 'string', default: '0' },
  pages: { type: 'string', default: '2000' },
  'per-page': { type: 'string', default: '100' },
  template: { type: 'string', default: '2000' },
  'rate-limit': { type: 'string' },
  burst: { type: 'string' },
  log: { type: 'boolean', default: false },
});

const bodies = new PageBodies({ pages: positive('pages'), perPage: positive('per-page'), template: positive('template') });
const rate = args['rate-limit'] === undefined ? undefined : positive('rate-limit');
const burst = rate === undefined ? undefined : args.burst ? positive('burst') : Math.max(1, Math.round(rate / 20));
const bucket = rate === undefined ? undefined : new TokenBucket(rate, burst!, systemClock);
const log: LogEntry[] | undefined = args.log ? [] : undefined;

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === LOG_PATH) return send(res, 200, Buffer.from(JSON.stringify(log ?? [])));
  if (url.pathname !== PAGES_PATH) return send(res, 404, error(34, 'The resource you requested could not be found.'));
  const page = Number(url.searchParams.get('page') ?? '1');
  if (!Number.isInteger(page) || page < 1) return send(res, 400, error(22, 'Invalid page: Pages start at 1.'));
  serveLimited(res, page);
});
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

/** Answers a page request through the token bucket (if any) and logs it. */
function serveLimited(res: ServerResponse, page: number): void {
  const at = performance.timeOrigin + performance.now();
  const taken = bucket?.take();
  const status = taken && !taken.ok ? 429 : 200;
  log?.push([at, page, status]);
  if (status === 429) return send(res, 429, error(25, 'Your request count is over the allowed limit.'), { 'retry-after': String(taken!.retryAfterSeconds) });
  send(res, 200, bodies.body(page));
}

function send(res: ServerResponse, status: number, body: Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': body.length, ...headers });
  res.end(body);
}

/** A TMDB-style error body. */
function error(code: number, message: string): Buffer {
  return Buffer.from(JSON.stringify({ success: false, status_code: code, status_message: message }));
}

function positive(name: keyof typeof args): number {
  return positiveInt('page-server', name, args[name] as string | undefined);
}

// keep-alive connections would hold a graceful close open: the bench only stops the server when done
const stop = () => process.exit(0);
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
server.listen(Number(args.port), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${port}`, pages: bodies.pages, perPage: bodies.perPage, meanBodyBytes: Math.round(bodies.meanBodyBytes), rate, burst }) + '\n');
});
