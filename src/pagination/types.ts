import type { HttpResponse } from '../http/types.js';

/**
 * Page and offset APIs: any page can be addressed directly, so a plan can split them across executors.
 * Page ids are the API's page numbers (page style) or ordinals 0.. (offset style).
 */
export interface IndexedPagination {
  readonly kind: 'indexed';
  /** The first page id. */
  readonly first: number;
  /** The last page id known from the spec alone (`end`), if any. */
  readonly lastFromSpec: number | undefined;
  /** URL of page `id` (of one slice's page space, with the slice's params). */
  url(id: number, slice?: SliceParams): string;
  /**
   * The last page id announced by the discovery (first) response: from a body total, a header
   * or `Link rel="last"`; capped by `end`. Undefined if the response announces nothing usable.
   */
  lastFromResponse(res: HttpResponse, recordsOnFirstPage: number): number | undefined;
  /** Records the API announced in total, if it says (for the short-read check). */
  announcedRecords(res: HttpResponse): number | undefined;
}

/** Cursor and next-link APIs: each page names the next one, so a chain is fetched in order. */
export interface ChainPagination {
  readonly kind: 'chain';
  /** URL of the first page of a chain (with the slice's params, if any). */
  firstUrl(slice?: SliceParams): string;
  /** URL of the page after `res`, or undefined at the end of the chain. `current` resolves relative links. */
  nextUrl(res: HttpResponse, current: string): string | undefined;
}

/** The query params that make one slice of a query: `{year: '1999'}`, or a window's two dates. */
export type SliceParams = Record<string, string>;

export type PaginationStrategy = IndexedPagination | ChainPagination;
