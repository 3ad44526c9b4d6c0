import { intParam, jsonResult, limitParam, pageOf, ParamError, recordsAt, selfUrl } from './params.js';
import type { RouteContext } from './params.js';
import type { DataRequest } from './types.js';
import { CatalogueView } from './view.js';

/** Opaque cursor for a position: base64url of `pos:<n>`. */
export function encodeCursor(pos: number): string {
  return Buffer.from(`pos:${pos}`).toString('base64url');
}

function decodeCursor(raw: string | null): number {
  if (raw === null || raw === '') return 0;
  const m = /^pos:(\d{1,15})$/.exec(Buffer.from(raw, 'base64url').toString('latin1'));
  if (!m) throw new ParamError(`cursor ${JSON.stringify(raw)} is not a cursor this API issued`);
  return Number(m[1]);
}

/**
 * `year=YYYY` restricts the view to that release year (a slice, never shifted); absent = the live
 * catalogue. Either way the request counts as served for `insertEvery`.
 */
function viewFor(ctx: RouteContext, year: number | undefined): CatalogueView {
  const live = ctx.liveView();
  return year === undefined ? live : CatalogueView.subset(ctx.catalogue.indicesForYear(year));
}

function yearParam(sp: URLSearchParams): number | undefined {
  return sp.has('year') ? intParam(sp, 'year', 0, 1) : undefined;
}

/**
 * GET /cursor[?cursor=C][&limit=L][&year=YYYY] — cursor style. No cursor = the start.
 * ```
 * 200 {"results":[…],"meta":{"next_cursor":"cG9zOjEwMA"}}     (null on the last page)
 * ```
 */
export function cursorRoute(ctx: RouteContext, url: URL): DataRequest {
  const sp = url.searchParams;
  const pos = decodeCursor(sp.get('cursor'));
  const limit = limitParam(sp, 'limit', ctx.options.perPage);
  const year = yearParam(sp);
  return {
    faultKey: `cursor|${year ?? ''}|${pos}|${limit}`,
    render() {
      const view = viewFor(ctx, year);
      const results = recordsAt(ctx, view, pos, limit, pageOf(pos, limit));
      const next = pos + limit < view.length ? encodeCursor(pos + limit) : null;
      return jsonResult(200, { results, meta: { next_cursor: next } });
    },
  };
}

/**
 * GET /link[?after=ID][&limit=L][&year=YYYY] — next-link (keyset) style: records with ids after ID.
 * ```
 * 200 {"results":[…],"links":{"next":"http://127.0.0.1:40123/link?after=200&limit=100"}}   (null at the end)
 * Link: <http://127.0.0.1:40123/link?after=200&limit=100>; rel="next"
 * ```
 * With `crossOriginNext`, the next link served on page 2+ points at that origin instead.
 */
export function linkRoute(ctx: RouteContext, url: URL): DataRequest {
  const sp = url.searchParams;
  const after = intParam(sp, 'after', 0, 0);
  const limit = limitParam(sp, 'limit', ctx.options.perPage);
  const year = yearParam(sp);
  return {
    faultKey: `link|${year ?? ''}|${after}|${limit}`,
    render() {
      const view = viewFor(ctx, year);
      const start = view.positionAfterId(after);
      const page = pageOf(start, limit);
      const results = recordsAt(ctx, view, start, limit, page);
      let next: string | null = null;
      if (start + limit < view.length && results.length > 0) {
        const origin = page >= 2 && ctx.options.crossOriginNext ? ctx.options.crossOriginNext : ctx.origin;
        next = selfUrl(origin, url.pathname, sp, { after: results[results.length - 1].id, limit });
      }
      const headers: Record<string, string> = next ? { Link: `<${next}>; rel="next"` } : {};
      return jsonResult(200, { results, links: { next } }, headers);
    },
  };
}
