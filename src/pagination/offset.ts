import type { HttpResponse } from '../http/types.js';
import type { OffsetStyle } from '../spec/types.js';
import { getPath, toCount } from './body.js';
import type { IndexedPagination, SliceParams } from './types.js';
import { withParams } from './url.js';

/**
 * Offset/limit pagination; page id k asks for `offset = start + k * limit`.
 * Response: `{"offset": 200, "limit": 100, "results": [...], "total_results": 100000}`
 * Config:   `offset: { param: offset, limit_param: limit, limit: 100, total: total_results }`
 */
export class OffsetPagination implements IndexedPagination {
  readonly kind = 'indexed';
  readonly first = 0;
  readonly lastFromSpec: number | undefined;

  constructor(
    private readonly base: string,
    private readonly cfg: OffsetStyle,
  ) {
    this.lastFromSpec = cfg.end === undefined ? undefined : this.lastFor(cfg.end);
  }

  url(id: number, slice: SliceParams = {}): string {
    return withParams(this.base, { ...slice, [this.cfg.param]: this.cfg.start + id * this.cfg.limit, [this.cfg.limitParam]: this.cfg.limit });
  }

  lastFromResponse(res: HttpResponse): number | undefined {
    const total = this.announcedRecords(res);
    if (total === undefined) return this.lastFromSpec;
    const last = this.lastFor(total);
    return this.lastFromSpec === undefined ? last : Math.min(last, this.lastFromSpec);
  }

  announcedRecords(res: HttpResponse): number | undefined {
    if (this.cfg.total) return toCount(getPath(res.body, this.cfg.total));
    if (this.cfg.totalHeader) return toCount(res.headers[this.cfg.totalHeader.toLowerCase()]);
    return undefined;
  }

  /** Last page id for an exclusive end offset (-1 when there is nothing to fetch). */
  private lastFor(endOffset: number): number {
    return Math.ceil(Math.max(0, endOffset - this.cfg.start) / this.cfg.limit) - 1;
  }
}
