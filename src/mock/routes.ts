import { arrayRoute, offsetRoute, pageRoute } from './page-routes.js';
import { discoverOffsetRoute, discoverRoute } from './discover-routes.js';
import { errorResult, ParamError, paramErrorResult, type RouteContext } from './params.js';
import { cursorRoute, linkRoute } from './stream-routes.js';
import type { DataRequest, RouteResult } from './types.js';

type Handler = (ctx: RouteContext, url: URL) => DataRequest;

/** Data routes by path. Control routes (/_stats, /_health) are answered by the server itself. */
const ROUTES: Record<string, Handler> = {
  '/3/movie/popular': pageRoute,
  '/movies': offsetRoute,
  '/cursor': cursorRoute,
  '/link': linkRoute,
  '/array': arrayRoute,
  '/3/discover/movie': discoverRoute,
  '/discover/offset': discoverOffsetRoute,
};

/** True if `pathname` is a data route (subject to auth, rate limit and faults). */
export function isDataRoute(pathname: string): boolean {
  return Object.hasOwn(ROUTES, pathname);
}

/** 404 `{"success":false,"status_code":404,"status_message":"The resource /x could not be found."}`. */
export function notFound(pathname: string): RouteResult {
  return errorResult(404, `The resource ${pathname} could not be found.`);
}

/**
 * Resolves a request to a data request (faultable, rendered later) or an immediate result:
 * 404 for unknown paths, 405 for non-GET, 400 for bad parameters.
 */
export function route(ctx: RouteContext, method: string, url: URL): DataRequest | RouteResult {
  const handler = Object.hasOwn(ROUTES, url.pathname) ? ROUTES[url.pathname] : undefined;
  if (!handler) return notFound(url.pathname);
  if (method !== 'GET') return errorResult(405, `Method ${method} is not allowed.`, { Allow: 'GET' });
  try {
    return handler(ctx, url);
  } catch (err) {
    if (err instanceof ParamError) return paramErrorResult(err);
    throw err;
  }
}
