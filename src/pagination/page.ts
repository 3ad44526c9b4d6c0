import type { HttpResponse } from '../http/types.js';
import type { PageStyle } from '../spec/types.js';
import { getPath, toCount } from './body.js';
import { parseLinkHeader } from './link-header.js';
import type { IndexedPagination, SliceParams } from './types.js';
import { withParams } from './url.js';

/**
 * Page-number pagination.
 * Response: `{"page": 1, "results": [...], "total_pages": 500, "total_results": 10000}`
 * Config:   `page: { param: page, start: 1, end: 500, total_pages: total_pages }`
 */
export class PagePagination implements IndexedPagination {
  readonly kind = 'indexed';
  readonly first: number;
  readonly lastFromSpec: number | undefined;

  constructor(
    private readonly base: string,
    private readonly cfg: PageStyle,
  ) {
    this.first = cfg.start;
    this.lastFromSpec = cfg.end;
  }

  url(id: number, slice: SliceParams = {}): string {
    return withParams(this.base, { ...slice, [this.cfg.param]: id, ...(this.cfg.sizeParam ? { [this.cfg.sizeParam]: this.cfg.size } : {}) });
  }

  lastFromResponse(res: HttpResponse, recordsOnFirstPage: number): number | undefined {
    const pageSize = this.cfg.size ?? recordsOnFirstPage;
    let last: number | undefined;
    const pages = this.cfg.totalPages ? toCount(getPath(res.body, this.cfg.totalPages)) : undefined;
    if (pages !== undefined) last = this.first + pages - 1;
    const records = this.announcedRecords(res);
    if (last === undefined && records !== undefined && pageSize > 0) last = this.first + Math.ceil(records / pageSize) - 1;
    if (last === undefined && records === 0) last = this.first - 1;
    if (last === undefined && this.cfg.linkLast) {
      const href = parseLinkHeader(res.headers['link']).last;
      const n = href ? toCount(new URL(href, res.url).searchParams.get(this.cfg.param)) : undefined;
      if (n !== undefined) last = n;
      else if (href === undefined && !parseLinkHeader(res.headers['link']).next) last = this.first;
    }
    if (last === undefined) return this.lastFromSpec;
    return this.lastFromSpec === undefined ? last : Math.min(last, this.lastFromSpec);
  }

  announcedRecords(res: HttpResponse): number | undefined {
    if (this.cfg.totalResults) return toCount(getPath(res.body, this.cfg.totalResults));
    if (this.cfg.totalHeader) return toCount(res.headers[this.cfg.totalHeader.toLowerCase()]);
    return undefined;
  }
}
