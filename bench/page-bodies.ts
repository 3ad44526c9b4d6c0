/**
 * Bench helper: the response bodies of a TMDB-shaped `/3/movie/popular`, computed before the server
 * listens so that serving a page is one `res.end(buffer)`.
 *
 * Page P (1-based) holds records (P-1)*perPage .. P*perPage-1 of `bench/parquet-records.ts`, so the first
 * `template` pages are exactly that generator's output. Pages beyond the template reuse a template page's
 * record text with their own ids (every id in the catalogue stays distinct) and are assembled on request:
 * only the memory case asks for that many pages, and it does not measure the server.
 */
import { movie } from './parquet-records.js';

/** First key of every record JSON text: the id is spliced in after it. */
const ID_PREFIX = '{"id":';

export interface PageBodiesOptions {
  /** Pages the API announces (`total_pages`). */
  pages: number;
  /** Records per page. */
  perPage: number;
  /** Pages whose records are generated; later pages repeat their text with other ids. */
  template: number;
}

export class PageBodies {
  readonly pages: number;
  readonly perPage: number;
  /** Record JSON text after its id (`,"title":…}`), per template record; kept only when pages > template. */
  private readonly tails: string[] | undefined;
  private readonly built: Buffer[];
  private readonly template: number;

  constructor(opts: PageBodiesOptions) {
    this.pages = opts.pages;
    this.perPage = opts.perPage;
    this.template = Math.max(1, Math.min(opts.template, opts.pages));
    const tails = recordTails(this.template * this.perPage);
    this.built = Array.from({ length: this.template }, (_, i) => Buffer.from(this.assemble(i + 1, tails)));
    this.tails = this.pages > this.template ? tails : undefined;
  }

  /** Records the API announces (`total_results`). */
  get totalResults(): number {
    return this.pages * this.perPage;
  }

  /** Mean size of the precomputed bodies (bytes). */
  get meanBodyBytes(): number {
    return this.built.reduce((t, b) => t + b.length, 0) / this.built.length;
  }

  /** The body of page `page`; pages past the last are empty, as TMDB-style APIs answer. */
  body(page: number): Buffer {
    if (page <= this.template) return this.built[page - 1];
    if (page > this.pages || !this.tails) return Buffer.from(this.envelope(page, ''));
    return Buffer.from(this.assemble(page, this.tails));
  }

  private assemble(page: number, tails: string[]): string {
    const first = (page - 1) * this.perPage;
    const firstTail = ((page - 1) % this.template) * this.perPage;
    const records: string[] = [];
    for (let k = 0; k < this.perPage; k++) records.push(ID_PREFIX + movieId(first + k) + tails[firstTail + k]);
    return this.envelope(page, records.join(','));
  }

  private envelope(page: number, records: string): string {
    return `{"page":${page},"results":[${records}],"total_pages":${this.pages},"total_results":${this.totalResults}}`;
  }
}

/** The id `bench/parquet-records.ts` gives record `i`. */
export function movieId(i: number): number {
  return 100_000 + i;
}

/** JSON text of records 0..n-1 with `{"id":<id>` cut off the front. */
function recordTails(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const text = JSON.stringify(movie(i));
    const head = ID_PREFIX + movieId(i);
    if (!text.startsWith(head)) throw new Error(`record ${i} does not start with its id`);
    return text.slice(head.length);
  });
}
