/** Bench helper: the parquet-wasm candidate (arrow-rs writer compiled to WebAssembly). */
import { tableToIPC } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm/node';
import type { ColumnValues } from './parquet-columns.js';
import type { ColumnsEncoder } from './parquet-columns.js';
import type { StructType } from '../src/format/types.js';
import { arrowTable } from './parquet-arrow-data.js';

export type WasmCodec = 'ZSTD' | 'SNAPPY';

/**
 * Row groups of converted columns -> Arrow record batches -> IPC stream -> wasm table -> Parquet bytes.
 * `writeParquet` encodes a whole file at once, so this stream holds every row group until `finish`.
 */
export function wasmSink(schema: StructType, codec: WasmCodec): ColumnsEncoder {
  const groups: (readonly ColumnValues[])[] = [];
  const chunks: Uint8Array[] = [];
  return {
    writeRowGroup(columns) {
      groups.push(columns);
    },
    finish() {
      const ipc = tableToIPC(arrowTable(schema, groups), 'stream');
      groups.length = 0;
      const table = WasmTable.fromIPCStream(ipc);
      const props = new WriterPropertiesBuilder()
        .setCompression(codec === 'ZSTD' ? Compression.ZSTD : Compression.SNAPPY)
        .setMaxRowGroupSize(250_000)
        .setCreatedBy('pagefleet (parquet-wasm)')
        .build();
      chunks.push(writeParquet(table, props));
    },
    takeChunks() {
      return chunks.splice(0);
    },
  };
}
