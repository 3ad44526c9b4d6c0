import { JSON_TYPE, MAX_LIMIT } from './constants.js';
import type { Catalogue } from './catalogue.js';
import type { MockApiOptions, MovieRecord, RouteResult } from './types.js';
import type { CatalogueView } from './view.js';

/** What a route needs to answer one request. */
export interface RouteContext {
  catalogue: Catalogue;
  options: MockApiOptions;
  /** Origin the client used, e.g. `http://127.0.0.1:40123` (from the Host header). */
  origin: string;
  /** The whole catalogue as seen now (call at render time: it counts as one request served). */
  liveView(): CatalogueView;
  /** With `echoParam`: the value every record of this request carries as `echo`. */
  echo?: string;
}

/** A query parameter with a bad value; answered 400 `{status_message}`. */
export class ParamError extends Error {}

const DIGITS = /^\d{1,15}$/;

/** Integer query parameter >= `min`; `def` when absent. */
export function intParam(sp: URLSearchParams, name: string, def: number, min: number): number {
  const raw = sp.get(name);
  if (raw === null) return def;
  const n = DIGITS.test(raw) ? Number(raw) : NaN;
  if (!(n >= min)) throw new ParamError(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
  return n;
}

/** Page size parameter: integer >= 1, clamped to MAX_LIMIT. */
export function limitParam(sp: URLSearchParams, name: string, def: number): number {
  return Math.min(MAX_LIMIT, intParam(sp, name, def, 1));
}

/** 1-based page number of a window starting at `start` (used for drift). */
export function pageOf(start: number, limit: number): number {
  return Math.floor(start / limit) + 1;
}

/** Records at positions [start, start + count) of `view` (clipped to its end). */
export function recordsAt(
  ctx: RouteContext,
  view: CatalogueView,
  start: number,
  count: number,
  page: number,
): MovieRecord[] {
  const drift = ctx.options.driftAfterPage > 0 && page > ctx.options.driftAfterPage;
  const end = Math.min(view.length, start + count);
  const out: MovieRecord[] = [];
  for (let pos = start; pos < end; pos++) {
    const record = ctx.catalogue.record(view.indexAt(pos), drift);
    out.push(ctx.echo === undefined ? record : { ...record, echo: ctx.echo });
  }
  return out;
}

/** Absolute URL of `pathname` with the request's query, `changes` applied. */
export function selfUrl(
  origin: string,
  pathname: string,
  sp: URLSearchParams,
  changes: Record<string, string | number>,
): string {
  const q = new URLSearchParams(sp);
  for (const [k, v] of Object.entries(changes)) q.set(k, String(v));
  return `${origin}${pathname}?${q}`;
}

export function jsonResult(status: number, value: unknown, headers: Record<string, string> = {}): RouteResult {
  return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: JSON.stringify(value) };
}

/** TMDB-style error body: `{"success":false,"status_code":400,"status_message":"…"}`. */
export function errorResult(status: number, message: string, headers: Record<string, string> = {}): RouteResult {
  return jsonResult(status, { success: false, status_code: status, status_message: message }, headers);
}
