/** Test helpers for the mock API specs: a raw HTTP GET that classifies broken responses. */
import { get, type IncomingHttpHeaders } from 'node:http';

export type RawOutcome =
  | { kind: 'response'; status: number; headers: IncomingHttpHeaders; body: Buffer }
  /** The connection ended before a status line arrived. */
  | { kind: 'reset' }
  /** Headers arrived but the body ended short of Content-Length. */
  | { kind: 'truncated'; status: number; headers: IncomingHttpHeaders; body: Buffer };

/** GET `url` on a fresh connection (no keep-alive reuse, so one fault cannot affect the next request). */
export function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const req = get(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      const done = () => {
        const body = Buffer.concat(chunks);
        const expected = Number(res.headers['content-length'] ?? body.length);
        const kind = res.complete && body.length === expected ? 'response' : 'truncated';
        resolve({ kind, status: res.statusCode ?? 0, headers: res.headers, body });
      };
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', done);
      res.on('error', done);
      res.on('aborted', done);
    });
    req.on('error', () => resolve({ kind: 'reset' }));
  });
}

/** GET and parse JSON; throws unless the status is 200. */
export async function getJson<T = any>(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ body: T; headers: Headers }> {
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`GET ${url} -> ${res.status}: ${await res.text()}`);
  return { body: (await res.json()) as T, headers: res.headers };
}

/** The URL of rel="next" in an RFC 8288 Link header, if any. */
export function linkRel(header: string | null | undefined, rel: string): string | undefined {
  for (const part of (header ?? '').split(',')) {
    const m = /^\s*<([^>]*)>\s*;\s*rel="([^"]*)"/.exec(part);
    if (m && m[2].split(' ').includes(rel)) return m[1];
  }
  return undefined;
}
