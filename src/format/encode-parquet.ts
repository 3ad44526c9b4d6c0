import { parquetWriteBuffer } from 'hyparquet-writer';
import type { ColumnValues } from './parquet-columns.js';
import { toParquetSchema } from './parquet-schema.js';
import type { StructType } from './types.js';

/** Rows per row group: large enough that a file of the usual target size is one or a few row groups. */
export const ROW_GROUP_ROWS = 250_000;

/** Writes converted columns of a writable schema as one Parquet file (hyparquet-writer, snappy). */
export function encodeParquet(schema: StructType, columns: readonly ColumnValues[]): Uint8Array {
  const buffer = parquetWriteBuffer({
    schema: toParquetSchema(schema),
    columnData: columns.map((c) => ({ name: c.name, data: c.data as unknown[] as never[] })),
    codec: 'SNAPPY',
    rowGroupSize: ROW_GROUP_ROWS,
    createdBy: 'pagefleet (hyparquet-writer)',
  });
  return new Uint8Array(buffer);
}
