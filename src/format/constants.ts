/**
 * Parquet `approxBytes` before calibration: finished-file bytes per byte of the records' JSON text.
 * Unit: bytes / byte. TMDB-shaped records measure 0.22 (bench/RESULTS.md); 0.3 errs on the large side.
 */
export const PARQUET_BYTES_PER_JSON_BYTE = 0.3;

/** NDJSON `approxBytes` uses the observed ratio once gzip has emitted this many bytes. Unit: bytes. */
export const GZIP_RATIO_MIN_OUTPUT = 64 * 1024;

/**
 * gzip level of NDJSON files (zlib 1-9). Level 1: measured on 20,000 TMDB-shaped records (bench/RESULTS.md,
 * "NDJSON gzip level"), it compresses 1.75x faster than level 6 for files 17% larger (29.7% vs 25.5% of
 * the JSON); the executor is CPU-bound and Spark, DuckDB and Athena read any level.
 */
export const GZIP_LEVEL = 1;
