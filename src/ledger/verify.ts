import { gunzipSync } from 'node:zlib';
import type { Format } from '../format/types.js';
import type { Store } from '../landing/types.js';

/**
 * The number of records a data file really holds, read from the file itself (Parquet: its footer;
 * NDJSON: its lines), or undefined if it cannot be read as that format.
 */
export async function countRecords(store: Store, key: string, format: Format): Promise<number | undefined> {
  const bytes = await store.get(key);
  if (!bytes) return undefined;
  try {
    if (format === 'parquet') {
      const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      const { parquetMetadata } = await import('hyparquet'); // only status reads footers
      return Number(parquetMetadata(buf).num_rows);
    }
    const text = gunzipSync(bytes);
    let lines = 0;
    for (let i = 0; i < text.length; i++) if (text[i] === 0x0a) lines++;
    return lines;
  } catch {
    return undefined;
  }
}
