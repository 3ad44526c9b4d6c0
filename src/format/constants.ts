/**
 * Parquet `approxBytes` before calibration: finished-file bytes per byte of the records' JSON text.
 * Unit: bytes / byte. TMDB-shaped records measure 0.22 (bench/RESULTS.md); 0.3 errs on the large side.
 */
export const PARQUET_BYTES_PER_JSON_BYTE = 0.3;

/** NDJSON `approxBytes` uses the observed ratio once gzip has emitted this many bytes. Unit: bytes. */
export const GZIP_RATIO_MIN_OUTPUT = 64 * 1024;

/** gzip level of NDJSON files (zlib 1-9). */
export const GZIP_LEVEL = 6;
