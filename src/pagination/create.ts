import type { JobSpec } from '../spec/types.js';
import { CursorPagination } from './cursor.js';
import { LinkPagination } from './link.js';
import { OffsetPagination } from './offset.js';
import { PagePagination } from './page.js';
import type { PaginationStrategy } from './types.js';
import { withParams } from './url.js';

/** The strategy for a spec's pagination style, over the source URL with the spec's params. */
export function createPagination(spec: JobSpec): PaginationStrategy {
  const base = withParams(spec.source.url, spec.source.params);
  const p = spec.pagination;
  switch (p.style) {
    case 'page':
      return new PagePagination(base, p);
    case 'offset':
      return new OffsetPagination(base, p);
    case 'cursor':
      return new CursorPagination(base, p);
    case 'link':
      return new LinkPagination(base, p);
  }
}
