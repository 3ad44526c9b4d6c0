import type { Format } from '../format/types.js';
import { holderOf, voidedFiles, type BlockEntry, type BlockLogs, type ClaimEntry, type CommitEntry } from './block-log.js';

/** A page that has landed in one format: the file that holds it and, for chains, where the chain goes next. */
export interface LandedPage {
  file: string;
  /** Chains: the sealed cursor/URL after this page; null at the end of the chain. */
  next?: string | null;
  /** Chains: hash of the cursor/URL that fetched this page. */
  cursor?: string;
}

/**
 * What has landed, decided in one place for the executor, `status` and repair.
 * A page has landed in a format when a commit entry of its block's log names it, that entry was not voided
 * later, and the entry's data file exists. Everything else the landing zone holds is a finding.
 */
export interface RunIndex {
  formats: Format[];
  landed: Map<Format, Map<number, LandedPage>>;
  /** Valid commits: entry not voided, data file present. */
  commits: (CommitEntry & { block: number })[];
  /** The latest claim of each block. */
  holders: Map<number, ClaimEntry>;
  /** A page named by two valid commits of one format (the first one counts). */
  duplicates: { page: number; format: Format; files: string[] }[];
  /** Commit entries whose data file does not exist: their pages have not landed. */
  missingFiles: string[];
  /** Commit entries whose file's size in the store differs from the size committed. */
  sizeMismatches: { file: string; committed: number; actual: number }[];
  /** Data files that no valid commit names: never committed, lost a block, voided, or not pagefleet's. */
  orphans: string[];
}

/** Builds the index from the block logs and each format's data files (key → size). */
export function indexRun(formats: Format[], logs: BlockLogs, files: Map<Format, Map<string, number>>): RunIndex {
  const index: RunIndex = {
    formats,
    landed: new Map(formats.map((f) => [f, new Map()])),
    commits: [],
    holders: new Map(),
    duplicates: [],
    missingFiles: [],
    sizeMismatches: [],
    orphans: [],
  };
  const named = new Set<string>();
  for (const [block, log] of [...logs].sort(([a], [b]) => a - b)) {
    const holder = holderOf(log);
    if (holder) index.holders.set(block, holder);
    const voided = voidedFiles(log);
    for (const e of log) {
      if (e.kind !== 'commit' || voided.has(e.file) || !index.landed.has(e.format)) continue;
      const size = files.get(e.format)?.get(e.file);
      if (size === undefined) {
        index.missingFiles.push(e.file);
        continue;
      }
      named.add(e.file);
      if (size !== e.bytes) index.sizeMismatches.push({ file: e.file, committed: e.bytes, actual: size });
      index.commits.push({ ...e, block });
      const landed = index.landed.get(e.format)!;
      e.pages.forEach((page, i) => {
        const earlier = landed.get(page);
        if (earlier) {
          index.duplicates.push({ page, format: e.format, files: [earlier.file, e.file] });
          return;
        }
        landed.set(page, { file: e.file, next: e.next?.[i], cursor: e.cursors?.[i] });
      });
    }
  }
  for (const f of formats) for (const key of files.get(f)?.keys() ?? []) if (!named.has(key)) index.orphans.push(key);
  return index;
}

/**
 * Brings `index` up to date for one block whose log or files changed, in place: its commits, landed pages
 * and holder become what `log` and `files` now say. A page belongs to one block, so this equals a full
 * indexRun for that block's pages, at the cost of the block alone; the findings (duplicates, missing
 * files, size mismatches, orphans) keep what the last full indexRun found. 64 sessions each rebuilding the
 * whole index whenever one of 256 logs moved spent the end of a run in indexRun (bench/RESULTS.md, "Scale").
 */
export function reindexBlock(index: RunIndex, block: number, log: BlockEntry[], files: Map<Format, Map<string, number>>): void {
  for (const c of index.commits) {
    if (c.block !== block) continue;
    const landed = index.landed.get(c.format)!;
    for (const page of c.pages) if (landed.get(page)?.file === c.file) landed.delete(page);
  }
  // the files this block's commits name, looked up by name (not a pass over every file of the run)
  const own = new Map(index.formats.map((f) => [f, new Map<string, number>()]));
  for (const e of log) {
    if (e.kind !== 'commit') continue;
    const size = files.get(e.format)?.get(e.file);
    if (size !== undefined) own.get(e.format)?.set(e.file, size);
  }
  const one = indexRun(index.formats, new Map([[block, log]]), own);
  index.commits = index.commits.filter((c) => c.block !== block).concat(one.commits);
  for (const [f, pages] of one.landed) for (const [page, p] of pages) index.landed.get(f)!.set(page, p);
  const holder = one.holders.get(block);
  if (holder) index.holders.set(block, holder);
  else index.holders.delete(block);
}

/** The formats a page still has to land in. */
export function formatsNeeding(index: RunIndex, page: number): Format[] {
  return index.formats.filter((f) => !index.landed.get(f)!.has(page));
}

/** The files that hold a page, one per format, or undefined unless it has landed in every format. */
export function landedEverywhere(index: RunIndex, page: number): string[] | undefined {
  const files: string[] = [];
  for (const f of index.formats) {
    const p = index.landed.get(f)!.get(page);
    if (!p) return undefined;
    files.push(p.file);
  }
  return files;
}

/**
 * How far a chain (the pages `base + 0, 1, …`) has landed in every format: the first position not landed,
 * the sealed URL to go on from, whether the chain reached its end, and the cursor hashes seen on the way.
 */
export function chainProgress(index: RunIndex, base: number): { position: number; done: boolean; next?: string; cursors: string[] } {
  const first = index.landed.get(index.formats[0])!;
  const cursors: string[] = [];
  for (let position = 0; ; position++) {
    if (!landedEverywhere(index, base + position)) {
      const next = position === 0 ? undefined : (first.get(base + position - 1)!.next ?? undefined);
      return { position, done: false, next, cursors };
    }
    const page = first.get(base + position)!;
    if (page.cursor) cursors.push(page.cursor);
    if (page.next === null || page.next === undefined) return { position: position + 1, done: true, cursors };
  }
}
