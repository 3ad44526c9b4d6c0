import type { Format } from './types.js';

/** File name extension of each format's data files. */
export const FILE_EXTENSION: Readonly<Record<Format, string>> = { parquet: '.parquet', ndjson: '.ndjson.gz' };

/**
 * Parquet `approxBytes` before the first row group is written: file bytes per byte of the records' JSON.
 * Unit: bytes / byte. TMDB-shaped records measure 0.22 (bench/RESULTS.md); 0.3 errs on the large side.
 * After the first row group the file's own ratio is used.
 */
export const PARQUET_BYTES_PER_JSON_BYTE = 0.3;

/** Approximate JSON bytes the provenance fields add to one record. Unit: bytes. */
export const PROVENANCE_JSON_BYTES = 90;

/**
 * A Parquet row group is written once its pages hold this much JSON (unit: bytes) or this many rows. It
 * bounds an executor's memory (one row group per open file) and the longest event-loop block (converting
 * and encoding one group is synchronous): measured in bench/RESULTS.md, "Streaming row groups".
 */
export const ROW_GROUP_JSON_BYTES = 2 * 1024 * 1024;
export const ROW_GROUP_MAX_ROWS = 10_000;

/**
 * zlib's output piece (its `chunkSize`): each piece is one callback on the event loop. Node's default,
 * 16 KiB, cost an NDJSON executor about 5% of its CPU (2,000 pages, 5 interleaved pairs).
 */
export const GZIP_CHUNK_BYTES = 64 * 1024;

/** NDJSON input gzip may hold uncompressed before a flush waits for it (unit: bytes). */
export const GZIP_MAX_QUEUED_BYTES = 1024 * 1024;

/** NDJSON `approxBytes` uses the observed ratio once gzip has emitted this many bytes. Unit: bytes. */
export const GZIP_RATIO_MIN_OUTPUT = 64 * 1024;

/**
 * gzip level of NDJSON files (zlib 1-9). Level 1: measured on 20,000 TMDB-shaped records (bench/RESULTS.md,
 * "NDJSON gzip level"), it compresses 1.75x faster than level 6 for files 17% larger (29.7% vs 25.5% of
 * the JSON); the executor is CPU-bound and Spark, DuckDB and Athena read any level.
 */
export const GZIP_LEVEL = 1;
