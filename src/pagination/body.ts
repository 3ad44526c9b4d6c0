import { BodyError } from '../errors.js';

/** Reads a dotted path (`meta.next_cursor`) from a parsed JSON body; '' is the body itself. */
export function getPath(body: unknown, path: string): unknown {
  if (path === '') return body;
  let cur: unknown = body;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** The record array at `path`; a BodyError naming `source.records` if it is missing or not an array. */
export function extractRecords(body: unknown, path: string): unknown[] {
  const found = getPath(body, path);
  if (Array.isArray(found)) return found;
  const where = path === '' ? 'the top level' : `path "${path}"`;
  const what = found === undefined ? 'nothing' : Array.isArray(found) ? 'a list' : typeof found;
  throw BodyError.against('source.records', `expected a list of records at ${where}, found ${what}`);
}

/** A non-negative integer read from a body path or header value, else undefined. */
export function toCount(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}
