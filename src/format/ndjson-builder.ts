import { createGzip, gzipSync, type Gzip } from 'node:zlib';
import { FILE_EXTENSION, GZIP_LEVEL, GZIP_RATIO_MIN_OUTPUT } from './constants.js';
import { ndjsonLine, provenanceTail } from './ndjson-line.js';
import { withProvenance } from './provenance.js';
import { mergeSchema } from './schema.js';
import type { ByteSink, BuiltFile, FileBuilder, Format, PageInput, Schema } from './types.js';

/**
 * Gzipped NDJSON: one JSON object per line, each record whole with `_pf_run_id`, `_pf_page` and
 * `_pf_fetched_at` (ISO-8601 UTC, microseconds) appended. Lines go into gzip as pages are added (zlib
 * compresses on libuv's thread pool, off the event loop) and the compressed output is written to the
 * upload at each `flush`, so memory holds what gzip produced since then, not the file.
 */
export class NdjsonBuilder implements FileBuilder {
  readonly format: Format = 'ndjson';
  readonly extension = FILE_EXTENSION.ndjson;
  private count = 0;
  private inBytes = 0;
  private outBytes = 0;
  private pending: Buffer[] = [];
  private readonly gzip: Gzip = createGzip({ level: GZIP_LEVEL });
  private error: Error | undefined;
  private done = false;
  private schema: Schema = { kind: 'struct', fields: [] };
  /** Compression ratio of the first page gzipped alone: the estimate's ratio until gzip output is seen. */
  private firstPageRatio = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly out: ByteSink) {
    this.gzip.on('data', (chunk: Buffer) => {
      this.pending.push(chunk);
      this.outBytes += chunk.length;
    });
    this.gzip.on('error', (err: Error) => {
      this.error ??= err;
    });
  }

  get records(): number {
    return this.count;
  }

  /**
   * All input at the compression ratio seen so far. Until gzip has emitted `GZIP_RATIO_MIN_OUTPUT`
   * bytes (deflate holds back output), the ratio of the first page gzipped on its own is used (a lone
   * page compresses worse than the stream, so the estimate errs on the large side).
   */
  get approxBytes(): number {
    const consumed = this.gzip.bytesWritten;
    const ratio = this.outBytes >= GZIP_RATIO_MIN_OUTPUT && consumed > 0 ? this.outBytes / consumed : this.firstPageRatio;
    return Math.ceil(Math.max(this.outBytes, this.inBytes * ratio));
  }

  /** Any page: a JSON line holds whatever the records are. */
  fits(): boolean {
    return true;
  }

  add(page: PageInput): void {
    if (this.done) throw new Error('NdjsonBuilder: add after finish');
    if (this.error) throw this.error;
    if (page.records.length === 0) return;
    this.schema = mergeSchema(this.schema, page.schema);
    const tail = provenanceTail(page.prov);
    let text = '';
    for (const r of page.records) text += ndjsonLine(r, tail) + '\n';
    const bytes = Buffer.from(text, 'utf8');
    if (this.inBytes === 0) this.firstPageRatio = gzipSync(bytes, { level: GZIP_LEVEL }).length / bytes.length;
    this.inBytes += bytes.length;
    this.count += page.records.length;
    this.gzip.write(bytes);
  }

  flush(): Promise<void> {
    const run = this.writing.then(() => this.writePending());
    this.writing = run.catch(() => {});
    return run;
  }

  async finish(): Promise<BuiltFile> {
    if (this.done) throw new Error('NdjsonBuilder: finish called twice');
    this.done = true;
    await new Promise<void>((resolve, reject) => {
      if (this.error) return reject(this.error);
      this.gzip.once('end', resolve);
      this.gzip.once('error', reject);
      this.gzip.end();
    });
    await this.flush();
    return { bytes: this.out.bytes, schema: withProvenance(this.schema) };
  }

  private async writePending(): Promise<void> {
    if (this.error) throw this.error;
    const chunks = this.pending;
    this.pending = [];
    if (chunks.length) await this.out.write(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  }
}
