/**
 * Parquet `approxBytes` estimate: expected finished-file bytes per byte of the records' JSON text.
 * Unit: bytes / byte. Measured on TMDB-shaped records (bench/RESULTS.md); real text compresses
 * better than the benchmark's, so files come out at or below the target.
 */
export const PARQUET_BYTES_PER_JSON_BYTE = 0.5;

/** NDJSON `approxBytes` before gzip has produced any output: assumed compressed bytes per input byte. */
export const GZIP_INITIAL_RATIO = 0.3;

/** gzip level of NDJSON files (zlib 1-9). */
export const GZIP_LEVEL = 6;
