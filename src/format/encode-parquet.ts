import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { ColumnValues } from './parquet-columns.js';
import { toParquetSchema } from './parquet-schema.js';
import type { StructType } from './types.js';

/**
 * Writes a writable schema's rows as one Parquet file with hyparquet-writer (snappy; data pages v2).
 * Each element of `groups` (converted columns, produced lazily) becomes one row group, so only one
 * group's converted values are alive at a time.
 */
export function encodeParquet(schema: StructType, groups: Iterable<readonly ColumnValues[]>): Uint8Array {
  const writer = new ByteWriter();
  const pq = new ParquetWriter({
    writer,
    schema: toParquetSchema(schema),
    codec: 'SNAPPY',
    createdBy: 'pagefleet (hyparquet-writer)',
  });
  for (const columns of groups) {
    const rows = columns[0]?.data.length ?? 0;
    if (rows === 0) continue;
    // ByteWriter has no async flush, so write() completes synchronously.
    void pq.write({ columnData: columns.map((c) => ({ name: c.name, data: c.data as never[] })), rowGroupSize: rows });
  }
  void pq.finish();
  return new Uint8Array(writer.getBuffer()); // exact-size copy; the writer's doubled buffer is released
}
