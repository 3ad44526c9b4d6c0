import { intParam, jsonResult, limitParam, pageOf, recordsAt, selfUrl, type RouteContext } from './params.js';
import type { DataRequest } from './types.js';

/**
 * GET /3/movie/popular?page=N[&per_page=P] — page style, 1-based; `page` defaults to 1.
 * ```
 * 200 {"page":2,"results":[…100 records…],"total_pages":11,"total_results":1050}
 * X-Total-Count: 1050
 * Link: <http://127.0.0.1:40123/3/movie/popular?page=3>; rel="next", <…?page=11>; rel="last"
 * ```
 * A page beyond the end has `results: []` and no rel="next".
 */
export function pageRoute(ctx: RouteContext, url: URL): DataRequest {
  const sp = url.searchParams;
  const page = intParam(sp, 'page', 1, 1);
  const perPage = limitParam(sp, 'per_page', ctx.options.perPage);
  return {
    faultKey: `page|${page}|${perPage}`,
    render() {
      const view = ctx.liveView();
      const totalPages = Math.ceil(view.length / perPage);
      const results = recordsAt(ctx, view, (page - 1) * perPage, perPage, page);
      const body = { page, results, total_pages: totalPages, total_results: view.length };
      return jsonResult(200, body, pageHeaders(ctx, url, page, totalPages, view.length));
    },
  };
}

/**
 * GET /array?page=N[&per_page=P] — the page's records as a top-level JSON array (empty record path).
 * ```
 * 200 [{"adult":false,…,"id":101,…}, …]
 * X-Total-Count: 1050
 * Link: <…/array?page=3>; rel="next", <…/array?page=11>; rel="last"
 * ```
 */
export function arrayRoute(ctx: RouteContext, url: URL): DataRequest {
  const sp = url.searchParams;
  const page = intParam(sp, 'page', 1, 1);
  const perPage = limitParam(sp, 'per_page', ctx.options.perPage);
  return {
    faultKey: `array|${page}|${perPage}`,
    render() {
      const view = ctx.liveView();
      const totalPages = Math.ceil(view.length / perPage);
      const results = recordsAt(ctx, view, (page - 1) * perPage, perPage, page);
      return jsonResult(200, results, pageHeaders(ctx, url, page, totalPages, view.length));
    },
  };
}

/**
 * GET /movies?offset=O&limit=L — offset style; `offset` defaults to 0, `limit` to perPage (max 1000).
 * ```
 * 200 {"offset":200,"limit":100,"results":[…],"total_results":1050}
 * X-Total-Count: 1050
 * ```
 */
export function offsetRoute(ctx: RouteContext, url: URL): DataRequest {
  const sp = url.searchParams;
  const offset = intParam(sp, 'offset', 0, 0);
  const limit = limitParam(sp, 'limit', ctx.options.perPage);
  return {
    faultKey: `offset|${offset}|${limit}`,
    render() {
      const view = ctx.liveView();
      const results = recordsAt(ctx, view, offset, limit, pageOf(offset, limit));
      const body = { offset, limit, results, total_results: view.length };
      return jsonResult(200, body, { 'X-Total-Count': String(view.length) });
    },
  };
}

function pageHeaders(
  ctx: RouteContext,
  url: URL,
  page: number,
  totalPages: number,
  total: number,
): Record<string, string> {
  const link = (p: number, rel: string) =>
    `<${selfUrl(ctx.origin, url.pathname, url.searchParams, { page: p })}>; rel="${rel}"`;
  const parts: string[] = [];
  if (page < totalPages) parts.push(link(page + 1, 'next'));
  parts.push(link(Math.max(1, totalPages), 'last'));
  return { 'X-Total-Count': String(total), Link: parts.join(', ') };
}
