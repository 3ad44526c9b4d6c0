import { createGzip, gzipSync, type Gzip } from 'node:zlib';
import { FILE_EXTENSION, GZIP_CHUNK_BYTES, GZIP_LEVEL, GZIP_MAX_QUEUED_BYTES, GZIP_RATIO_MIN_OUTPUT } from './constants.js';
import { ndjsonLineOf, provenanceTail } from './ndjson-line.js';
import { withProvenance } from './provenance.js';
import { WriteChain } from './write-chain.js';
import { mergeSchema } from './schema.js';
import type { ByteSink, FileBuilderOptions, BuiltFile, FileBuilder, Format, PageInput, Schema } from './types.js';

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
  private readonly gzip: Gzip = createGzip({ level: GZIP_LEVEL, chunkSize: GZIP_CHUNK_BYTES });
  private error: Error | undefined;
  private done = false;
  private schema: Schema = { kind: 'struct', fields: [] };
  /** Compression ratio of the first page gzipped alone: the estimate's ratio until gzip output is seen. */
  private firstPageRatio = 0;
  /** Output over input consumed, as of the last output chunk (once there is enough output to tell). */
  private outputRatio = 0;
  /** The largest estimate given: a file only grows, so its estimate never shrinks. */
  private estimate = 0;
  private readonly writes: WriteChain;
  /** Settles once gzip has taken in the last page written to it (its write callback). */
  private compressed: Promise<void> = Promise.resolve();

  constructor(
    private readonly out: ByteSink,
    options: FileBuilderOptions = {},
  ) {
    this.writes = new WriteChain(options.writesAhead);
    this.gzip.on('data', (chunk: Buffer) => {
      this.pending.push(chunk);
      this.outBytes += chunk.length;
      // sampled when output arrives: between arrivals, input consumed but held back by deflate would
      // drag the ratio (and the estimate) down until the next output chunk
      if (this.outBytes >= GZIP_RATIO_MIN_OUTPUT) this.outputRatio = this.outBytes / this.gzip.bytesWritten;
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
   * page compresses worse than the stream, so the estimate errs on the large side). Never smaller than an
   * earlier answer: when gzip catches up after lagging (a loaded machine) the measured ratio drops.
   */
  get approxBytes(): number {
    const ratio = this.outputRatio || this.firstPageRatio;
    this.estimate = Math.max(this.estimate, Math.ceil(Math.max(this.outBytes, this.inBytes * ratio)));
    return this.estimate;
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
    const { records, texts } = page;
    for (let i = 0; i < records.length; i++) text += ndjsonLineOf(records[i], texts?.texts[i], texts?.members[i], tail) + '\n';
    const bytes = Buffer.from(text, 'utf8');
    if (this.inBytes === 0) this.firstPageRatio = gzipSync(bytes, { level: GZIP_LEVEL }).length / bytes.length;
    this.inBytes += bytes.length;
    this.count += page.records.length;
    this.compressed = new Promise((resolve) => this.gzip.write(bytes, () => resolve()));
  }

  flush(): Promise<void> {
    return this.writes.push(() => this.writePending());
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
    void this.writes.push(() => this.writePending()).catch(() => {});
    await this.writes.drain();
    return { bytes: this.out.bytes, schema: withProvenance(this.schema) };
  }

  private async writePending(): Promise<void> {
    // gzip queues input it has not compressed yet: let it catch up, so pages cannot pile up in memory faster
    // than zlib's thread compresses them. (Its write callbacks, not 'drain': a 'drain' wait hung here.)
    if (this.gzip.writableLength > GZIP_MAX_QUEUED_BYTES) await this.compressed;
    if (this.error) throw this.error;
    const chunks = this.pending;
    this.pending = [];
    if (chunks.length) await this.out.write(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  }
}
