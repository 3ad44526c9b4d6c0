import type { FileBuilder, Format, PageInput } from '../format/types.js';
import type { Upload } from '../landing/types.js';

/** The pages gathered into one data file of one block, ready to be committed. */
export interface Batch {
  format: Format;
  block: number;
  /** Where the file streams to; its key is the file's name in the commit entry. */
  upload: Upload;
  builder: FileBuilder;
  pages: number[];
  /** Chains: the sealed next cursor/URL after each page (same order as pages). */
  next?: (string | null)[];
  /** Chains: hash of the cursor/URL that fetched each page (same order as pages). */
  cursors?: string[];
}

/** Where a chain page came from and where its chain goes next. */
export interface ChainLink {
  next: string | null;
  cursor: string;
}

/** Opens a new data file of one format: its upload (the caller names it) and the builder streaming into it. */
export type OpenFile = (format: Format) => { upload: Upload; builder: FileBuilder };

/**
 * Gathers one block's pages into the current file of one format; the executor cuts it at the target size,
 * when its first page is output.max_file_age old, or when a page does not fit its columns. The file streams
 * into its upload as it fills (`flush`); `cut()` hands the batch over to be finished and committed.
 */
export class Batcher {
  private current: Batch | undefined;
  /** When the current file got its first page (clock milliseconds). */
  private openedAt = 0;

  constructor(
    readonly format: Format,
    readonly block: number,
    private readonly targetBytes: number,
    private readonly open: OpenFile,
  ) {}

  /** Adds a page; returns the batch it cut first when the page does not fit the current file's columns. */
  add(page: number, input: PageInput, link?: ChainLink, now = 0): Batch | undefined {
    const cut = this.current && !this.current.builder.fits(input.schema) ? this.cut() : undefined;
    const batch = (this.current ??= this.fresh(now));
    batch.builder.add(input);
    batch.pages.push(page);
    if (link) {
      (batch.next ??= []).push(link.next);
      (batch.cursors ??= []).push(link.cursor);
    }
    return cut;
  }

  /** Writes what the current file has ready (its backpressure on the fetchers). */
  async flush(): Promise<void> {
    await this.current?.builder.flush();
  }

  get full(): boolean {
    return (this.current?.builder.approxBytes ?? 0) >= this.targetBytes;
  }

  /** True when the current file has pages and its first page is at least `maxAgeMs` old. */
  old(now: number, maxAgeMs: number): boolean {
    return this.current !== undefined && now - this.openedAt >= maxAgeMs;
  }

  /** Takes the current batch (if it has pages); the next page starts a new file. */
  cut(): Batch | undefined {
    const batch = this.current;
    this.current = undefined;
    return batch;
  }

  private fresh(now: number): Batch {
    this.openedAt = now;
    return { format: this.format, block: this.block, ...this.open(this.format), pages: [] };
  }
}
