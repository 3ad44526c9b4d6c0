import { dateParam, intParam, jsonResult, limitParam, pageOf, ParamError, recordsAt, type RouteContext } from './params.js';
import type { DataRequest, RecordSequence } from './types.js';

/** TMDB's `status_code` for a page outside 1..500. */
const TMDB_INVALID_PAGE = 22;

/** TMDB's message for a page outside 1..maxPages (its own cap is 500). */
export function invalidPageMessage(maxPages: number): string {
  return `Invalid page: Pages start at 1 and max at ${maxPages}. They are expected to be an integer.`;
}

/** An inclusive release-date window in day numbers; a missing bound is open. */
interface ReleaseWindow {
  gte?: number;
  lte?: number;
}

function releaseWindow(sp: URLSearchParams): ReleaseWindow {
  return { gte: dateParam(sp, 'primary_release_date.gte'), lte: dateParam(sp, 'primary_release_date.lte') };
}

function windowKey(w: ReleaseWindow): string {
  return `${w.gte ?? ''}|${w.lte ?? ''}`;
}

/** The window's records by (release_date, id). Like a year slice, it is never shifted by insertEvery. */
function windowRecords(ctx: RouteContext, w: ReleaseWindow): RecordSequence {
  ctx.liveView(); // the request still counts as served for insertEvery
  return ctx.catalogue.releaseIndex().window(w.gte, w.lte);
}

/** `page`, 1 when absent; anything but an integer from 1 to maxPages is TMDB's 400 (status_code 22). */
function cappedPage(sp: URLSearchParams, maxPages: number): number {
  const raw = sp.get('page');
  if (raw === null) return 1;
  const page = /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
  if (page < 1 || page > maxPages) throw new ParamError(invalidPageMessage(maxPages), TMDB_INVALID_PAGE);
  return page;
}

/**
 * GET /3/discover/movie[?page=N][&primary_release_date.gte=YYYY-MM-DD][&primary_release_date.lte=YYYY-MM-DD]
 * — TMDB's capped endpoint: the records released in the inclusive window, ordered by (release_date, id),
 * `perPage` a page (no per_page parameter, as on TMDB); other parameters (sort_by, language …) are ignored.
 * ```
 * 200 {"page":1,"results":[…100 records…],"total_pages":500,"total_results":100000}   (maxPages 500, perPage 100)
 * 400 {"success":false,"status_code":22,"status_message":"Invalid page: Pages start at 1 and max at 500. They are expected to be an integer."}
 * ```
 * `total_pages` is min(the window's pages, maxPages) and `total_results` the window's real count, so a client
 * can tell that a window holds more than it may page and split it. A page past the window's end has `results: []`.
 */
export function discoverRoute(ctx: RouteContext, url: URL): DataRequest {
  const sp = url.searchParams;
  const { maxPages, perPage } = ctx.options;
  const page = cappedPage(sp, maxPages);
  const window = releaseWindow(sp);
  return {
    faultKey: `discover|${windowKey(window)}|${page}`,
    render() {
      const records = windowRecords(ctx, window);
      const results = recordsAt(ctx, records, (page - 1) * perPage, perPage, page);
      const totalPages = Math.min(Math.ceil(records.length / perPage), maxPages);
      return jsonResult(200, { page, results, total_pages: totalPages, total_results: records.length });
    },
  };
}

/**
 * GET /discover/offset[?offset=O][&limit=L][&primary_release_date.gte=…][&primary_release_date.lte=…] — the
 * same windows and order, offset style (`limit` defaults to perPage, max 1000), capped the way Elasticsearch's
 * `max_result_window` is: offset + limit must be <= maxPages * perPage.
 * ```
 * 200 {"offset":0,"limit":100,"results":[…],"total":100000}
 * 400 {"success":false,"status_code":400,"status_message":"Result window is too large: offset + limit must be <= 50000, got 50100"}
 * ```
 */
export function discoverOffsetRoute(ctx: RouteContext, url: URL): DataRequest {
  const sp = url.searchParams;
  const offset = intParam(sp, 'offset', 0, 0);
  const limit = limitParam(sp, 'limit', ctx.options.perPage);
  const cap = ctx.options.maxPages * ctx.options.perPage;
  if (offset + limit > cap) {
    throw new ParamError(`Result window is too large: offset + limit must be <= ${cap}, got ${offset + limit}`);
  }
  const window = releaseWindow(sp);
  return {
    faultKey: `discover-offset|${windowKey(window)}|${offset}|${limit}`,
    render() {
      const records = windowRecords(ctx, window);
      const results = recordsAt(ctx, records, offset, limit, pageOf(offset, limit));
      return jsonResult(200, { offset, limit, results, total: records.length });
    },
  };
}
