import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../src/clock.js';
import type { RateGovernorLike } from '../src/http/types.js';

/** Test support: a real node:http server on 127.0.0.1:0 that records every request it receives. */
export interface SpecServer {
  origin: string;
  /** Requests received, in order. */
  hits: IncomingMessage[];
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

export async function startServer(handler: Handler): Promise<SpecServer> {
  const hits: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    hits.push(req);
    handler(req, res, hits.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Test support: real `now`, but sleeps are recorded and return at once (abortable). */
export function recordingClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.now(),
    sleep: (ms, signal) => {
      sleeps.push(ms);
      return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
    },
  };
}

/** Test support: a rate governor that grants at once and records what the client told it. */
export function recordingRate(): RateGovernorLike & { acquired: number; throttles: (number | undefined)[]; successes: number } {
  const r = {
    acquired: 0,
    throttles: [] as (number | undefined)[],
    successes: 0,
    acquire: async () => {
      r.acquired++;
    },
    throttled: (ms?: number) => {
      r.throttles.push(ms);
    },
    succeeded: () => {
      r.successes++;
    },
  };
  return r;
}
