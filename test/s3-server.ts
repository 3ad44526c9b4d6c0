import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, request, Agent, type Server } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { PYTHON, REPO, sleep } from './harness.js';

// the SDK is pinned to a Node 20 release; its notice about future releases is noise in test output
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const MOTO_SERVER = join(dirname(PYTHON), 'moto_server');

export interface MotoServer {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface FaultProxy {
  endpoint: string;
  /** Every request the proxy received (including the ones it answered with SlowDown itself). */
  readonly requests: number;
  /** Requests answered with 503 SlowDown by the proxy. */
  readonly failed: number;
  /** Fraction (0..1) of the following requests to answer with 503 SlowDown, spread deterministically. */
  setSlowDown(rate: number): void;
  /** Also answer SlowDown to every request this predicate picks (e.g. only multipart part uploads); undefined clears it. */
  failWhen(pick?: (method: string, url: string) => boolean): void;
  /** The server goes away: stop listening and drop every open connection. */
  cut(): Promise<void>;
  /** Listen again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((res, rej) => srv.once('error', rej).listen(0, '127.0.0.1', res));
  const port = (srv.address() as { port: number }).port;
  await new Promise((res) => srv.close(res));
  return port;
}

/** True once anything answers HTTP on the endpoint (any status, even 403 from an auth-enabled moto). */
function answers(endpoint: string): Promise<boolean> {
  return new Promise((res) => {
    const req = request(endpoint, { method: 'GET', agent: false, timeout: 1000 }, (r) => {
      r.resume();
      res(true);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => res(false));
    req.end();
  });
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, stderr: () => string, name: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (Date.now() < end) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before answering:\n${stderr()}`);
    }
    if (await answers(endpoint)) return;
    await sleep(100);
  }
  throw new Error(`${name} did not answer on ${endpoint} within 20 s:\n${stderr()}`);
}

/**
 * Starts a real moto S3 server on a free port.
 *
 * auth: true sets INITIAL_NO_AUTH_ACTION_COUNT=0, so moto checks every request against its IAM store,
 * which starts empty. Verified by hand with boto3 against moto 5.2.5: ANY key pair — random ones and
 * 'test'/'test' alike — gets HTTP 403: InvalidAccessKeyId ("The AWS Access Key Id you provided does not
 * exist in our records.") for CreateBucket/ListBuckets, and a bare 403 'Forbidden' (no body) for
 * HeadBucket, before moto even looks at whether the bucket exists (a no-auth moto answers 404 there).
 * So an auth moto is only useful for "bad credentials" tests: createBucket() cannot work against it.
 */
export async function startMotoServer(opts: { auth?: boolean } = {}): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (opts.auth) env.INITIAL_NO_AUTH_ACTION_COUNT = '0';
  else delete env.INITIAL_NO_AUTH_ACTION_COUNT;
  const child = spawn(MOTO_SERVER, ['-H', '127.0.0.1', '-p', String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-8000)));
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  const spawnFailed = new Promise<never>((_, rej) => child.once('error', rej));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(killer);
  };

  const ready = waitUntilAnswering(endpoint, child, () => stderr, 'moto_server');
  try {
    await Promise.race([ready, spawnFailed]);
  } catch (e) {
    await stop();
    throw e;
  }
  return { endpoint, port, stop };
}

/** versitygw's binary: installed into .tools/bin by scripts/setup.sh (Go module proxy), or PAGEFLEET_VERSITYGW. */
export const VERSITYGW = process.env.PAGEFLEET_VERSITYGW ?? join(REPO, '.tools/bin/versitygw');

export interface VersityGw extends MotoServer {
  /** The data folder (its POSIX backend): it outlives the process. */
  dir: string;
  /** Kills the server process at once (SIGKILL): the S3 server is gone, mid-request if need be. */
  kill(): Promise<void>;
  /** Starts it again on the same port and folder. */
  start(): Promise<void>;
}

/**
 * Starts versitygw, a second, independent S3 implementation: a gateway onto a POSIX folder, so its
 * objects survive a kill and a restart. Credentials are TEST_CREDENTIALS.
 */
export async function startVersityGw(binary = VERSITYGW): Promise<VersityGw> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const dir = await mkdtemp(join(tmpdir(), 'pf-versitygw-'));
  let child: ChildProcess;
  const start = async () => {
    child = spawn(binary, ['--access', TEST_CREDENTIALS.accessKeyId, '--secret', TEST_CREDENTIALS.secretAccessKey, '--port', `127.0.0.1:${port}`, 'posix', dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-8000)));
    const failed = new Promise<never>((_, rej) => child.once('error', rej));
    await Promise.race([failed, waitUntilAnswering(endpoint, child, () => stderr, 'versitygw')]);
  };
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  };
  await start();
  return { endpoint, port, dir, start, kill: () => kill('SIGKILL'), stop: () => kill('SIGTERM') };
}

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export function s3Client(endpoint: string, extra: { maxAttempts?: number; credentials?: typeof TEST_CREDENTIALS } = {}): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: TEST_CREDENTIALS, ...extra });
}

export async function createBucket(endpoint: string, bucket: string, credentials = TEST_CREDENTIALS): Promise<void> {
  const s3 = s3Client(endpoint, { credentials });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    s3.destroy();
  }
}

/** The environment a child `pagefleet` process needs to talk to the S3 server at `endpoint`. */
export function s3Env(endpoint: string): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

const SLOW_DOWN_BODY =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>proxy</RequestId></Error>';

/** A real HTTP reverse proxy in front of `upstream` that can answer SlowDown or disappear on demand. */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const up = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  let requests = 0;
  let failed = 0;
  let rate = 0;
  let pick: ((method: string, url: string) => boolean) | undefined;
  let debt = 0; // error diffusion: rate 0.25 fails exactly every 4th request, rate 1 every request

  const server: Server = createServer((req, res) => {
    requests++;
    debt += rate;
    const picked = pick?.(req.method ?? '', req.url ?? '') ?? false;
    if (picked || debt >= 1 - 1e-9) {
      if (!picked) debt -= 1;
      failed++;
      req.resume();
      req.on('end', () =>
        res
          .writeHead(503, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(SLOW_DOWN_BODY) })
          .end(SLOW_DOWN_BODY),
      );
      return;
    }
    const fwd = request(
      { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers, agent },
      (upRes) => {
        res.writeHead(upRes.statusCode!, upRes.statusMessage, upRes.headers);
        upRes.pipe(res);
        upRes.on('error', () => res.destroy());
      },
    );
    fwd.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    res.on('close', () => {
      if (!res.writableFinished) fwd.destroy();
    });
    req.pipe(fwd);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const listen = (p: number) =>
    new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(p, '127.0.0.1', () => {
        server.off('error', rej);
        res();
      });
    });
  const cut = async () => {
    if (!server.listening) return;
    const closed = new Promise((res) => server.close(res));
    for (const s of sockets) s.destroy();
    await closed;
  };

  await listen(0);
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    get failed() {
      return failed;
    },
    failWhen(p) {
      pick = p;
    },
    setSlowDown(r: number) {
      rate = Math.min(1, Math.max(0, r));
      debt = 0;
    },
    cut,
    restore: async () => {
      if (!server.listening) await listen(port);
    },
    close: async () => {
      await cut();
      agent.destroy();
    },
  };
}
