import type { HttpResponse } from '../http/types.js';
import type { CursorStyle } from '../spec/types.js';
import { getPath } from './body.js';
import type { ChainPagination, SliceParams } from './types.js';
import { withParams } from './url.js';

/**
 * Cursor pagination: the body names the next cursor; null, '' or absent ends the chain.
 * Response: `{"results": [...], "meta": {"next_cursor": "eyJwIjoyMDB9"}}`
 * Config:   `cursor: { param: cursor, next: meta.next_cursor }`
 */
export class CursorPagination implements ChainPagination {
  readonly kind = 'chain';
  constructor(
    private readonly base: string,
    private readonly cfg: CursorStyle,
  ) {}

  firstUrl(slice: SliceParams = {}): string {
    return withParams(this.base, {
      ...(this.cfg.limitParam ? { [this.cfg.limitParam]: this.cfg.limit } : {}),
      ...slice,
    });
  }

  nextUrl(res: HttpResponse, current: string): string | undefined {
    const cursor = getPath(res.body, this.cfg.next);
    if (cursor === null || cursor === undefined || cursor === '') return undefined;
    return withParams(current, { [this.cfg.param]: String(cursor) });
  }
}
