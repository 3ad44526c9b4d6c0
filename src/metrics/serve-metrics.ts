import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../errors.js';
import { EXPOSITION_CONTENT_TYPE } from './exposition.js';

export interface MetricsEndpoint {
  /** http://host:port/metrics, with the port actually bound (--metrics-port 0 picks a free one). */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `render()` as the Prometheus text format on GET /metrics (anything else is 404). Binding fails
 * with a ConfigError naming the flag (a port in use, an address this host does not have), before the
 * run writes anything.
 */
export async function serveMetrics(host: string, port: number, render: () => string): Promise<MetricsEndpoint> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE }).end(render());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const field = err.code === 'EADDRINUSE' || err.code === 'EACCES' ? '--metrics-port' : '--metrics-host';
      reject(new ConfigError(field, `cannot listen on ${host}:${port} (${err.code ?? err.message})`));
    });
    server.listen(port, host, () => resolve());
  });
  server.unref(); // the run, not the endpoint, decides when the process ends
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${bound}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** --metrics-port as a number: an integer from 0 (any free port) to 65535. */
export function parseMetricsPort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || port > 65535) throw new ConfigError('--metrics-port', `expected a port from 0 to 65535, got "${raw}"`);
  return port;
}
