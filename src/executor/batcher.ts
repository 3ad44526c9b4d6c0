import { createFileBuilder } from '../format/create-file-builder.js';
import type { FileBuilder, Format, Provenance, Schema } from '../format/types.js';

/** The pages gathered into one data file of one block, ready to be committed. */
export interface Batch {
  format: Format;
  block: number;
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

/**
 * Gathers one block's pages into the current file of one format; the executor cuts it at the target size
 * or when its first page is output.max_file_age old. Holds one file buffer; `cut()` hands the batch over
 * and starts a new one.
 */
export class Batcher {
  private current: Batch;
  /** When the current file got its first page (clock milliseconds). */
  private openedAt = 0;

  constructor(
    readonly format: Format,
    readonly block: number,
    private readonly targetBytes: number,
    private readonly schema: () => Schema | undefined,
  ) {
    this.current = this.fresh();
  }

  add(page: number, records: readonly unknown[], prov: Provenance, link?: ChainLink, now = 0): void {
    if (this.empty) this.openedAt = now;
    this.current.builder.add(records, prov);
    this.current.pages.push(page);
    if (link) {
      (this.current.next ??= []).push(link.next);
      (this.current.cursors ??= []).push(link.cursor);
    }
  }

  get full(): boolean {
    return this.current.builder.approxBytes >= this.targetBytes;
  }

  /** True when the current file has pages and its first page is at least `maxAgeMs` old. */
  old(now: number, maxAgeMs: number): boolean {
    return !this.empty && now - this.openedAt >= maxAgeMs;
  }

  get empty(): boolean {
    return this.current.pages.length === 0;
  }

  /** Takes the current batch (if it has pages) and starts a new one. */
  cut(): Batch | undefined {
    if (this.empty) return undefined;
    const batch = this.current;
    this.current = this.fresh();
    return batch;
  }

  private fresh(): Batch {
    return { format: this.format, block: this.block, builder: createFileBuilder(this.format, { schema: this.schema() }), pages: [] };
  }
}
