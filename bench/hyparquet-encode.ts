/** Bench helper: hyparquet-writer, the Parquet writer pagefleet used before its own (src/format/parquet/). */
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { ColumnsEncoder } from './parquet-columns.js';
import { toParquetSchema } from './hyparquet-schema.js';
import type { StructType } from '../src/format/types.js';

/**
 * Snappy in native code (the optional `snappy` package, prebuilt per platform) when it loads here: about 3x less
 * CPU than hyparquet-writer's JavaScript snappy, which is the fallback (a 1,500-page Parquet + NDJSON
 * executor run: about 10% less CPU in all).
 */
const compressors: { SNAPPY?: (bytes: Uint8Array) => Uint8Array } = await import('snappy').then(
  (native) => ({ SNAPPY: (bytes: Uint8Array) => native.compressSync(bytes) }),
  () => ({}),
);

/**
 * hyparquet-writer (snappy; data pages v2) over a ByteWriter whose buffer is emptied after every row group:
 * hyparquet-writer calls `flush()` after each group and keeps counting file offsets in `offset`, so the
 * footer's offsets stay right while only the current group's bytes are held.
 */
export function hyparquetEncoder(schema: StructType): ColumnsEncoder {
  const writer = new ByteWriter();
  const chunks: Uint8Array[] = [];
  const flush = () => {
    if (writer.index === 0) return;
    chunks.push(new Uint8Array(writer.buffer.slice(0, writer.index)));
    writer.index = 0;
  };
  (writer as ByteWriter & { flush(): void }).flush = flush;
  const pq = new ParquetWriter({ writer, schema: toParquetSchema(schema), codec: 'SNAPPY', compressors, createdBy: 'pagefleet (hyparquet-writer)' });
  flush(); // the magic bytes
  return {
    writeRowGroup(columns) {
      const rows = columns[0]?.data.length ?? 0;
      if (rows === 0) return;
      // a ByteWriter's flush is synchronous, so write() completes before it returns
      void pq.write({ columnData: columns.map((c) => ({ name: c.name, data: c.data as never[] })), rowGroupSize: rows });
    },
    finish() {
      void pq.finish();
      flush();
    },
    takeChunks() {
      return chunks.splice(0);
    },
  };
}
