import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { ColumnValues } from './parquet-columns.js';
import { toParquetSchema } from './parquet-schema.js';
import type { StructType } from './types.js';

/** Receives a file's row groups one at a time, then returns the file. */
export interface ParquetSink {
  /** Writes one row group of converted columns (in schema order). */
  writeRowGroup(columns: readonly ColumnValues[]): void;
  finish(): Uint8Array;
}

/**
 * A Parquet file of a writable schema, written with hyparquet-writer (snappy; data pages v2). Only the
 * row group being written has its converted values alive; the file grows in one buffer.
 */
export function parquetSink(schema: StructType): ParquetSink {
  const writer = new ByteWriter();
  const pq = new ParquetWriter({
    writer,
    schema: toParquetSchema(schema),
    codec: 'SNAPPY',
    createdBy: 'pagefleet (hyparquet-writer)',
  });
  return {
    writeRowGroup(columns) {
      const rows = columns[0]?.data.length ?? 0;
      if (rows === 0) return;
      // ByteWriter has no async flush, so write() completes synchronously.
      void pq.write({ columnData: columns.map((c) => ({ name: c.name, data: c.data as never[] })), rowGroupSize: rows });
    },
    finish() {
      void pq.finish();
      return new Uint8Array(writer.getBuffer()); // exact-size copy; the writer's doubled buffer is released
    },
  };
}
