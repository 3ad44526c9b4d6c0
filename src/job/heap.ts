import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full GC before it collects again, in
 * percent. Left to itself V8 grows it by up to 4x when allocation is fast, and an executor allocates fast
 * (every page is parsed, converted and encoded) while holding little: about 20 MB survive a full GC, yet a
 * 1M-record Parquet + NDJSON run peaked near 250 MiB. Growing by this much instead keeps the peak close to
 * what is held (1M records: 191 MiB; the memory case of `npm run bench -- --memory`, bench/RESULTS.md) for
 * about 8% more CPU (3,000 pages, measured under load; 50% gave ~160 MiB for ~17%). It bounds growth, not
 * size: a burst of large bodies still gets the heap it needs (a hard cap, --max-old-space-size, would crash).
 */
export const EXECUTOR_HEAP_GROWING_PERCENT = 100;

/** Applies EXECUTOR_HEAP_GROWING_PERCENT to this process (V8 reads the flag at each GC, so setting it at run time works). */
export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${EXECUTOR_HEAP_GROWING_PERCENT}`);
}
