import { JSON_TYPE, MAX_LIMIT } from './constants.js';
import type { Catalogue } from './catalogue.js';
import { parseIsoDay } from './dates.js';
import type { MockApiOptions, MovieRecord, RecordSequence, RouteResult } from './types.js';
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

/** A query parameter with a bad value; answered 400 `{"success":false,"status_code":<apiCode>,…}`. */
export class ParamError extends Error {
  /** The body's `status_code`: 400, or an API-specific code such as TMDB's 22 (invalid page). */
  constructor(
    message: string,
    readonly apiCode = 400,
  ) {
    super(message);
  }
}

const DIGITS = /^\d{1,15}$/;

/** Integer query parameter >= `min`; `def` when absent. */
export function intParam(sp: URLSearchParams, name: string, def: number, min: number): number {
  const raw = sp.get(name);
  if (raw === null) return def;
  const n = DIGITS.test(raw) ? Number(raw) : NaN;
  if (!(n >= min)) throw new ParamError(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
  return n;
}

/** Day number of an inclusive `YYYY-MM-DD` date filter; undefined when absent or empty (no bound). */
export function dateParam(sp: URLSearchParams, name: string): number | undefined {
  const raw = sp.get(name);
  if (raw === null || raw === '') return undefined;
  const day = parseIsoDay(raw);
  if (day === undefined) throw new ParamError(`${name} must be a date YYYY-MM-DD, got ${JSON.stringify(raw)}`);
  return day;
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
  view: RecordSequence,
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

/** The 400 answer to a ParamError. */
export function paramErrorResult(err: ParamError): RouteResult {
  return jsonResult(400, { success: false, status_code: err.apiCode, status_message: err.message });
}

/** TMDB-style error body: `{"success":false,"status_code":400,"status_message":"…"}`. */
export function errorResult(status: number, message: string, headers: Record<string, string> = {}): RouteResult {
  return jsonResult(status, { success: false, status_code: status, status_message: message }, headers);
}
