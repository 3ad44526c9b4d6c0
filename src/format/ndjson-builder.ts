import { createGzip, gzipSync, type Gzip } from 'node:zlib';
import { GZIP_LEVEL, GZIP_RATIO_MIN_OUTPUT } from './constants.js';
import { ndjsonLine, provenanceTail } from './ndjson-line.js';
import { asRecordObject, observeStruct } from './observe.js';
import { withProvenance } from './provenance.js';
import type { BuiltFile, DataType, FileBuilder, Format, Provenance, Schema } from './types.js';

/**
 * Gzipped NDJSON: one JSON object per line, each record whole with `_pf_run_id`, `_pf_page` and
 * `_pf_fetched_at` (ISO-8601 UTC, microseconds) appended. Lines are streamed into gzip as pages are
 * added, so memory holds compressed bytes, not records. The schema is inferred on the way.
 */
export class NdjsonBuilder implements FileBuilder {
  readonly format: Format = 'ndjson';
  readonly extension = '.ndjson.gz';
  private count = 0;
  private inBytes = 0;
  private outBytes = 0;
  private readonly chunks: Buffer[] = [];
  private readonly gzip: Gzip = createGzip({ level: GZIP_LEVEL });
  private error: Error | undefined;
  private done = false;
  private schema: DataType = { kind: 'struct', fields: [] };
  /** Compression ratio of the first page gzipped alone: the estimate's ratio until gzip output is seen. */
  private firstPageRatio = 0;

  constructor() {
    this.gzip.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
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

  add(records: readonly unknown[], prov: Provenance): void {
    if (this.done) throw new Error('NdjsonBuilder: add after finish');
    if (this.error) throw this.error;
    if (records.length === 0) return;
    const tail = provenanceTail(prov);
    let text = '';
    for (const r of records) {
      this.schema = observeStruct(this.schema, asRecordObject(r));
      text += ndjsonLine(r, tail) + '\n';
    }
    const bytes = Buffer.from(text, 'utf8');
    if (this.inBytes === 0) this.firstPageRatio = gzipSync(bytes, { level: GZIP_LEVEL }).length / bytes.length;
    this.inBytes += bytes.length;
    this.count += records.length;
    this.gzip.write(bytes);
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
    const bytes = Buffer.concat(this.chunks, this.outBytes);
    this.chunks.length = 0;
    return { bytes, schema: withProvenance(this.schema as Schema) };
  }
}
