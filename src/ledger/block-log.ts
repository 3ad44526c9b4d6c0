import pLimit from 'p-limit';
import type { Format } from '../format/types.js';
import { Layout } from '../landing/layout.js';
import { asJsonObject, readCreateOnceEntry } from '../landing/read-json-entry.js';
import type { Store } from '../landing/types.js';

/**
 * The block log: the run's commit protocol and its one-writer rule in one structure.
 *
 * Each block (partition.ts) has a log of entries `blocks/b<block>/<version>.json`, versions 1, 2, 3, …,
 * each written **create-once** (a folder: link(2); S3: `If-None-Match: *`). An entry is appended as
 * version n+1 by a writer that has read version n, so two writers can never both append after the same
 * entry: the log is a compare-and-swap register built from create-once writes alone.
 *
 * - `claim`: a session takes the block. Only the session of the latest claim appends commits; a claim
 *   is appended only when the block has none, or its holder has ended or is provably gone (sessions.ts).
 *   A claim that takes a block over voids the earlier commits whose data file it did not see: a file of a
 *   gone (or merely paused) holder that appears later never counts.
 * - `commit`: a data file of this block. The file streams into a temp file or multipart upload that
 *   nobody sees; the entry is appended next (this is where a session that lost its block finds out, and
 *   stops: a zombie is fenced before its file is visible); only then is the file made visible. Its pages
 *   have landed once both exist. A crash in between leaves an entry without a file: its pages have not
 *   landed, readers of the folder see nothing, and the next claim voids it. After the file, a landed
 *   marker (LandedMarker) tells readers the file is there. docs/design.md, "Commit protocol".
 * - `void`: repair removed a committed file (a duplicate, or one whose records disagree); its pages are
 *   no longer landed and are fetched again on resume.
 */
export interface ClaimEntry {
  kind: 'claim';
  session: string;
  executor: number;
  at: string;
  /** The session this claim took the block over from, if any. */
  took_from?: string;
  /** Files of earlier commits that did not exist when the block was taken over: they never count. */
  voids?: string[];
}

export interface CommitEntry {
  kind: 'commit';
  session: string;
  executor: number;
  format: Format;
  file: string;
  pages: number[];
  records: number;
  bytes: number;
  at: string;
  /** Chains: the sealed next cursor/URL after each page (same order as pages); null ends the chain. */
  next?: (string | null)[];
  /** Chains: a hash of the cursor/URL that fetched each page, the loop guard's memory across sessions. */
  cursors?: string[];
  /** The file's Spark schema (StructType JSON): a reader reads the file with at least these columns. */
  schema?: unknown;
}

/**
 * A landed marker (`landed/<format>/run_id=<run>/<file>.json`): the commit entry of a data file, written
 * create-once AFTER the file. It is what readers stream (spark/reader.py): every marker names a file that
 * exists and counts. The block log stays the truth; markers are derived from it and repair rewrites them.
 */
export interface LandedMarker extends CommitEntry {
  run_id: string;
  block: number;
}

export interface VoidEntry {
  kind: 'void';
  file: string;
  reason: string;
  at: string;
}

/**
 * A slice of an indexed style discovered its page space from its first page (written once, by the holder).
 * With `slices.max_pages`, a one-day window that still announces more pages keeps the first max_pages and
 * says how many records it cannot reach.
 */
export interface PagesEntry {
  kind: 'pages';
  first: number;
  last: number;
  announced_pages: number;
  announced_records?: number;
  unreachable_records?: number;
  at: string;
}

/** A window announced more than slices.max_pages pages: its two halves (partition.ts childBlocks) replace it. */
export interface SplitEntry {
  kind: 'split';
  children: number[];
  announced_pages: number;
  at: string;
}

/**
 * The holder has done what it could with the block, and some pages failed: other live sessions must not
 * wait for it (they would wait for each other) nor retry it while the holder lives; a later session
 * (a resume) takes it over once the holder is gone.
 */
export interface ReleaseEntry {
  kind: 'release';
  session: string;
  at: string;
}

export type BlockEntry = ClaimEntry | CommitEntry | VoidEntry | PagesEntry | SplitEntry | ReleaseEntry;

/** True when the block's latest claim was followed by a release from that same session. */
export function releasedByHolder(log: readonly BlockEntry[] | undefined): boolean {
  const holder = holderOf(log);
  if (!holder || !log) return false;
  const at = log.lastIndexOf(holder);
  return log.slice(at + 1).some((e) => e.kind === 'release' && e.session === holder.session);
}

/** What a slice's log says of its page space: split into halves, discovered, or not yet known. */
export function shapeOf(log: readonly BlockEntry[] | undefined): SplitEntry | PagesEntry | undefined {
  return log?.find((e): e is SplitEntry | PagesEntry => e.kind === 'split' || e.kind === 'pages');
}

/** A block's log as read: entries in version order (`entries[v - 1]` is version v). */
export type BlockLogs = Map<number, BlockEntry[]>;

/** How many entry reads (or block listings) run at once when logs are loaded. */
const READ_CONCURRENCY = 16;

/** Reads the logs of every block of a run (or of the given blocks). */
export async function readBlockLogs(store: Store, layout: Layout, blocks?: readonly number[]): Promise<BlockLogs> {
  const keys = blocks ? [...(await listBlockEntries(store, layout, blocks)).values()].flat() : await store.list(layout.blocksDir);
  return readBlockEntries(store, keys);
}

/**
 * The entry keys of some blocks' logs, by block: a listing per block, or with `all` one listing of every
 * block log, kept for these blocks. A session that has finished its own blocks asks about all the others':
 * in the 64-executor case that was ~440 listings per session (on S3, as many LIST requests) where one does.
 */
export async function listBlockEntries(store: Store, layout: Layout, blocks: readonly number[], all = false): Promise<Map<number, string[]>> {
  const byBlock = new Map<number, string[]>(blocks.map((b) => [b, []]));
  if (all) {
    for (const key of await store.list(layout.blocksDir)) {
      const at = Layout.parseBlockEntry(key);
      if (at) byBlock.get(at.block)?.push(key);
    }
    return byBlock;
  }
  const limit = pLimit(READ_CONCURRENCY);
  const listed = await Promise.all(blocks.map((b) => limit(() => store.list(layout.blockDir(b)))));
  blocks.forEach((b, i) => byBlock.set(b, listed[i]));
  return byBlock;
}

/** The block logs the entry keys `keys` make up, read (each entry once per process: readCreateOnceEntry). */
export async function readBlockEntries(store: Store, keys: readonly string[]): Promise<BlockLogs> {
  const parsed = keys.map((k) => ({ key: k, at: Layout.parseBlockEntry(k) })).filter((e) => e.at !== undefined);
  const limit = pLimit(READ_CONCURRENCY);
  const bodies = await Promise.all(parsed.map((e) => limit(() => readEntry(store, e.key))));
  const logs: BlockLogs = new Map();
  parsed.forEach((e, i) => {
    const { block, version } = e.at!;
    const log = logs.get(block) ?? [];
    log[version - 1] = bodies[i];
    logs.set(block, log);
  });
  // a gap (an entry deleted by hand) keeps its place as an unreadable entry, so versions stay aligned
  for (const log of logs.values()) for (let v = 0; v < log.length; v++) log[v] ??= { kind: 'void', file: '', reason: 'unreadable entry', at: '' };
  return logs;
}

/**
 * Appends `entry` to a block's log after the `known` entries the caller has read. Returns the log as it
 * now is, and whether the append won: false means another writer appended first (the caller re-decides
 * from the returned log).
 */
export async function appendEntry(
  store: Store,
  layout: Layout,
  block: number,
  known: readonly BlockEntry[],
  entry: BlockEntry,
  /**
   * Look whether the next version exists before writing it: a create-once put that loses still writes (and
   * on a folder fsyncs) a temporary file. Claims of others' blocks lose often: 64 sessions that finished
   * their own blocks walk the same unstarted ones on views seconds old, and lost ~5,500 such races in a run.
   */
  lookFirst = false,
): Promise<{ won: boolean; log: BlockEntry[] }> {
  const key = layout.blockEntry(block, known.length + 1);
  const won = !(lookFirst && (await store.size(key)) !== undefined) && (await store.put(key, JSON.stringify(entry), { ifAbsent: true }));
  if (won) return { won, log: [...known, entry] };
  return { won, log: (await readBlockLogs(store, layout, [block])).get(block) ?? [] };
}

/** Files a block's log has voided, by repair or by a takeover. */
export function voidedFiles(log: readonly BlockEntry[]): Set<string> {
  const out = new Set<string>();
  for (const e of log) {
    if (e.kind === 'void') out.add(e.file);
    if (e.kind === 'claim') for (const f of e.voids ?? []) out.add(f);
  }
  return out;
}

/** The latest claim of a block's log, if any. */
export function holderOf(log: readonly BlockEntry[] | undefined): ClaimEntry | undefined {
  for (let v = (log?.length ?? 0) - 1; v >= 0; v--) {
    const e = log![v];
    if (e.kind === 'claim') return e;
  }
  return undefined;
}

/** A listed entry may be gone by the time it is read (deleted by hand): it keeps its version as a void. */
function readEntry(store: Store, key: string): Promise<BlockEntry> {
  return readCreateOnceEntry<BlockEntry>(store, key, { parse: asJsonObject, tolerate: (k) => ({ kind: 'void', file: '', reason: `unreadable entry ${k}`, at: '' }) });
}
