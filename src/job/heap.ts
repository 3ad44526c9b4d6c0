import { setFlagsFromString } from 'node:v8';
import type { Format } from '../format/types.js';

/**
 * How far V8 lets the old generation grow past what survived the last full GC before it collects again, in
 * percent, by what the executor writes. Left to itself V8 grows it by up to 4x when allocation is fast, and
 * an executor allocates fast (every page is parsed, converted and encoded) while holding little: about 20 MB
 * survive a full GC, yet a 1M-record Parquet + NDJSON run peaked near 250 MiB.
 * - With Parquet, the pages a file holds until its first row group is written (parquet-builder.ts) live long
 *   enough to reach the old generation and die there (later row groups are shredded into column buffers
 *   outside the V8 heap as pages arrive; measured with the writer before that, hyparquet-writer):
 *   50 holds a 1M-record Parquet + NDJSON run at 143-146 MiB against 127 MiB for 10k records (with the
 *   young generation bounded too, EXECUTOR_NODE_FLAGS); 100 let it reach 155-163 MiB, 75 about 150. The
 *   cost is more full GCs, a few percent of CPU.
 * - NDJSON alone holds nothing long (a page is written as it lands), and stays near 120-135 MiB at 100, where
 *   50 cost the 2-executor NDJSON case up to ~15% of its CPU in some runs.
 * Measured with 100-record TMDB-shaped pages (bench/RESULTS.md, "Executor memory: V8's young generation and
 * heap growth"). It bounds growth, not size: a burst of large bodies still gets the heap it needs (a hard cap,
 * --max-old-space-size, would crash).
 */
export function heapGrowingPercent(formats: readonly Format[]): number {
  return formats.includes('parquet') ? 50 : 100;
}

/**
 * Node flags an executor process starts with, by what it writes. V8 sizes its young generation when the
 * process starts, so these cannot be set from inside (unlike the growth above): a local run starts its
 * children with the flags of the spec's formats (run-local.ts), and the `pagefleet` command carries
 * DEFAULT_EXECUTOR_NODE_FLAGS in its `#!` line (scripts/bundle.mjs), since it starts before the spec is read.
 *
 * `--max-semi-space-size=4` (MiB, per semi-space), with Parquet: Node 20 lets the young generation grow to
 * 2 × 16 MiB under fast allocation, 24 MiB of resident memory that holds only garbage between scavenges;
 * an executor's short-lived objects (a page's parsed records) fit in 4. It costs CPU (more scavenges):
 * 15-20% of an NDJSON-only executor's, which stays near 130-140 MiB without it, so NDJSON alone keeps
 * Node's default (bench/RESULTS.md, "Executor memory").
 */
export function executorNodeFlags(formats: readonly Format[]): string[] {
  return formats.includes('parquet') ? [...DEFAULT_EXECUTOR_NODE_FLAGS] : [];
}

/** The flags of an executor whose formats are not known when it starts: the bounded ones. */
export const DEFAULT_EXECUTOR_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

/** Applies heapGrowingPercent to this process (V8 reads the flag at each GC, so setting it at run time works). */
export function boundHeapGrowth(formats: readonly Format[]): void {
  setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent(formats)}`);
}
