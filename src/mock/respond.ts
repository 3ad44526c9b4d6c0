import type { ServerResponse } from 'node:http';
import { HTML_BODY } from './constants.js';
import type { Timers } from './timers.js';
import type { RouteResult } from './types.js';

/** Writes `result`; with `slowBodyMs` > 0 the body goes out in two halves that far apart. */
export function sendResult(res: ServerResponse, result: RouteResult, slowBodyMs: number, timers: Timers): void {
  const body = Buffer.from(result.body);
  res.writeHead(result.status, { ...result.headers, 'Content-Length': String(body.length) });
  if (slowBodyMs <= 0 || body.length < 2) {
    res.end(body);
    return;
  }
  const half = body.length >> 1;
  res.write(body.subarray(0, half));
  timers.after(slowBodyMs, () => {
    if (!res.destroyed) res.end(body.subarray(half));
  });
}

/**
 * The truncate fault: status 200, headers announcing the full Content-Length, the first half of the body
 * (cut at a byte boundary, possibly inside a UTF-8 sequence), then the socket is destroyed.
 */
export function sendTruncated(res: ServerResponse, result: RouteResult): void {
  const body = Buffer.from(result.body);
  res.writeHead(result.status, { ...result.headers, 'Content-Length': String(body.length) });
  res.write(body.subarray(0, body.length >> 1), () => res.destroy());
}

/** The html fault: 200 `text/html` "<html>Service busy</html>". */
export function sendHtml(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(HTML_BODY.length) });
  res.end(HTML_BODY);
}

/** The reset fault: destroy the socket without writing anything. */
export function sendReset(res: ServerResponse): void {
  res.socket?.destroy();
  res.destroy();
}
