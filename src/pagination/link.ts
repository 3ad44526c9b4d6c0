import type { HttpResponse } from '../http/types.js';
import type { LinkStyle } from '../spec/types.js';
import { getPath } from './body.js';
import { parseLinkHeader } from './link-header.js';
import type { ChainPagination, SliceParams } from './types.js';
import { withParams } from './url.js';

/**
 * Next-link pagination: the next page's URL comes from the body or an RFC 8288 `Link` header.
 * Response: `{"results": [...], "links": {"next": "https://api/x?after=200"}}` or `Link: <...>; rel="next"`
 * Config:   `link: { next: links.next }` or `link: { header: link }`
 * The URL may point at another origin; the HTTP client decides whether it may be followed.
 */
export class LinkPagination implements ChainPagination {
  readonly kind = 'chain';
  constructor(
    private readonly base: string,
    private readonly cfg: LinkStyle,
  ) {}

  firstUrl(slice: SliceParams = {}): string {
    return slice ? withParams(this.base, { [slice.param]: slice.value }) : this.base;
  }

  nextUrl(res: HttpResponse, current: string): string | undefined {
    const href = this.cfg.next ? getPath(res.body, this.cfg.next) : parseLinkHeader(res.headers[this.cfg.header!]).next;
    if (typeof href !== 'string' || href === '') return undefined;
    return new URL(href, current).toString();
  }
}
