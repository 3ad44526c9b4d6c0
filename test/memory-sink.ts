import { NdjsonBuilder } from '../src/format/ndjson-builder.js';
import { ParquetBuilder } from '../src/format/parquet-builder.js';
import { inferSchema } from '../src/format/schema.js';
import type { ByteSink, FileBuilderOptions, Format, PageInput, Provenance, Schema } from '../src/format/types.js';

/** A ByteSink in memory: what a builder streamed, in order. */
export class MemorySink implements ByteSink {
  readonly chunks: Buffer[] = [];
  bytes = 0;
  async write(chunk: Uint8Array): Promise<void> {
    this.chunks.push(Buffer.from(chunk));
    this.bytes += chunk.byteLength;
  }
  get content(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** A page as the executor hands it to builders (schema inferred once, JSON size measured). */
export function pageInput(records: readonly unknown[], prov: Provenance): PageInput {
  return { records, prov, schema: inferSchema(records), jsonBytes: Buffer.byteLength(JSON.stringify(records) ?? '') };
}

/**
 * A builder over its own MemorySink whose `finish` returns the whole file. Every `flush` waits for its write
 * (`writesAhead: 0`), so a test sees the bytes in the sink when it returns.
 */
export function testBuilder(format: Format, options: FileBuilderOptions = {}) {
  options = { writesAhead: 0, ...options };
  const sink = new MemorySink();
  const builder = format === 'parquet' ? new ParquetBuilder(sink, options) : new NdjsonBuilder(sink, options);
  return {
    builder,
    sink,
    get format() {
      return builder.format;
    },
    get extension() {
      return builder.extension;
    },
    get records() {
      return builder.records;
    },
    get approxBytes() {
      return builder.approxBytes;
    },
    add: (page: PageInput) => builder.add(page),
    flush: () => builder.flush(),
    async finish(): Promise<{ bytes: Buffer; schema: Schema }> {
      const { bytes, schema } = await builder.finish();
      if (bytes !== sink.bytes) throw new Error(`builder says ${bytes} bytes, the sink got ${sink.bytes}`);
      return { bytes: sink.content, schema };
    },
  };
}
