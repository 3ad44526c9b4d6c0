import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { Format } from '../format/types.js';
import type { Store } from '../landing/types.js';

/** Bytes read from the end of a Parquet file to find its footer (most footers fit; a larger one is read again). */
const PARQUET_TAIL_BYTES = 64 * 1024;

/**
 * The number of records a data file really holds, read from the file itself (Parquet: its footer alone;
 * NDJSON: its lines, streamed through gunzip), or undefined if it cannot be read as that format. Memory is
 * one chunk or one footer, whatever the file's size.
 */
export async function countRecords(store: Store, key: string, format: Format): Promise<number | undefined> {
  try {
    return format === 'parquet' ? await parquetRows(store, key) : await ndjsonLines(store, key);
  } catch {
    return undefined;
  }
}

async function parquetRows(store: Store, key: string): Promise<number | undefined> {
  let tail = await store.getTail(key, PARQUET_TAIL_BYTES);
  if (!tail || tail.byteLength < 8) return undefined;
  const footer = Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength).readUInt32LE(tail.byteLength - 8);
  if (footer + 8 > tail.byteLength) tail = await store.getTail(key, footer + 8);
  if (!tail) return undefined;
  const { parquetMetadata } = await import('hyparquet'); // only status reads footers
  // the metadata is parsed from the end of the buffer; offsets in it are not followed
  return Number(parquetMetadata(tail.buffer.slice(tail.byteOffset, tail.byteOffset + tail.byteLength) as ArrayBuffer).num_rows);
}

async function ndjsonLines(store: Store, key: string): Promise<number | undefined> {
  const body = await store.read(key);
  if (!body) return undefined;
  let lines = 0;
  await pipeline(Readable.from(body), createGunzip(), async (text: AsyncIterable<Buffer>) => {
    for await (const chunk of text) for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) lines++;
  });
  return lines;
}
