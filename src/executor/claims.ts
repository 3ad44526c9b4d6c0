import type { Clock } from '../clock.js';
import { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';
import { appendEntry, holderOf, listBlockEntries, readBlockEntries, releasedByHolder, voidedFiles, type BlockEntry, type BlockLogs, type CommitEntry, type PagesEntry, type ReleaseEntry, type SplitEntry } from '../ledger/block-log.js';
import type { LivenessJudge } from '../ledger/sessions.js';

/**
 * What a session may do with a block: work on it (claimed), nothing (done), wait for the live session that
 * works on it (busy), or leave it (released incomplete by a live session: a later resume retries it).
 */
export type BlockVerdict = 'work' | 'done' | 'busy' | 'released';

/**
 * One session's view of the block logs, and the only code that appends to them (block-log.ts has the rules).
 * A session works on a block only after its claim is the block's latest; it commits only while that stays
 * true, which the create-once append itself checks.
 */
export class BlockClaims {
  constructor(
    private readonly store: Store,
    private readonly layout: Layout,
    private readonly clock: Clock,
    private readonly judge: LivenessJudge,
    readonly session: string,
    private readonly executor: number,
    readonly logs: BlockLogs,
    /** Blocks of the run: a refresh of at least half of them lists every block log at once (listBlockEntries). */
    private readonly blockCount = Infinity,
  ) {}

  /**
   * Liveness verdicts of holders during one pass over distinct blocks (claimBlocks asks about hundreds of
   * busy blocks, a few per holder): one record read per holder and pass. A pass ends at a refresh, or when
   * a block is asked about again.
   */
  private readonly gone = new Map<string, Promise<boolean>>();
  private readonly judged = new Set<number>();
  /**
   * Blocks whose files were looked at again after their holder was judged gone, in this pass: per block,
   * since the look (onStale) covers that block's files only. Per holder, a holder's other blocks were
   * taken on what was seen before it ended, and a file it made visible just before was voided and landed
   * twice (64-executor case, 2026-12-01).
   */
  private readonly lookedAfterGone = new Set<number>();

  /**
   * Re-reads the logs of some blocks (after another session may have appended). Entries are create-once
   * and never change, so a block whose listing has as many entries as this session knows is not read
   * again: a session waiting for hundreds of blocks (64 executors) lists them, and reads only what moved.
   */
  async refresh(blocks: readonly number[]): Promise<void> {
    this.newPass();
    const listed = await listBlockEntries(this.store, this.layout, blocks, blocks.length * 2 >= this.blockCount);
    // unchanged: exactly versions 1..n listed, n known (a gap, an entry deleted by hand, is always re-read)
    const known = (b: number) => this.logs.get(b)?.length ?? 0;
    const moved = blocks.filter((b) => {
      const keys = listed.get(b)!;
      return keys.length !== known(b) || keys.some((k) => (Layout.parseBlockEntry(k)?.version ?? Infinity) > known(b));
    });
    if (!moved.length) return;
    const fresh = await readBlockEntries(this.store, moved.flatMap((b) => listed.get(b)!));
    for (const b of moved) this.logs.set(b, fresh.get(b) ?? []);
  }

  /** Whether a holder is gone, judged once per pass (a holder holds several blocks). */
  private isGone(session: string): Promise<boolean> {
    let verdict = this.gone.get(session);
    if (!verdict) this.gone.set(session, (verdict = this.judge.isGone(session)));
    return verdict;
  }

  private newPass(): void {
    this.gone.clear();
    this.judged.clear();
    this.lookedAfterGone.clear();
  }

  holds(block: number): boolean {
    return holderOf(this.logs.get(block))?.session === this.session;
  }

  /**
   * Claims a block unless it is complete or a live session holds it. `complete` is asked again after every
   * re-read, since the log may have gained commits. `exists` says whether a data file was seen in the store:
   * a takeover voids the earlier commits whose file was not seen.
   */
  async acquire(
    block: number,
    complete: () => boolean,
    exists: (file: string) => boolean,
    /** Called when another writer appended first: the caller brings what `complete` and `exists` read up to date. */
    onStale: () => Promise<void> = async () => {},
  ): Promise<BlockVerdict> {
    if (this.judged.has(block)) this.newPass();
    this.judged.add(block);
    for (;;) {
      if (complete()) return 'done';
      const log = this.logs.get(block) ?? [];
      const holder = holderOf(log);
      if (holder?.session === this.session) return 'work';
      if (holder && !(await this.isGone(holder.session))) return releasedByHolder(log) ? 'released' : 'busy';
      if (holder && !this.lookedAfterGone.has(block)) {
        // What `exists` knows may have been listed before the holder made its last file visible and
        // ended: look again now that it is gone (once per block and pass), or the takeover would void a
        // file that landed (and that readers may have taken through its marker).
        this.lookedAfterGone.add(block);
        await onStale();
        continue;
      }
      const voided = voidedFiles(log);
      const voids = log.flatMap((e) => (e.kind === 'commit' && !voided.has(e.file) && !exists(e.file) ? [e.file] : []));
      const claim: BlockEntry = {
        kind: 'claim',
        session: this.session,
        executor: this.executor,
        at: new Date(this.clock.now()).toISOString(),
        ...(holder ? { took_from: holder.session } : {}),
        ...(voids.length ? { voids } : {}),
      };
      const { won, log: now } = await appendEntry(this.store, this.layout, block, log, claim, true);
      this.logs.set(block, now);
      if (won) return 'work';
      await onStale();
    }
  }

  /**
   * Appends an entry to a block this session holds (a commit, before its data file is made visible; a
   * slice's page space or split). False when the block was taken over by another session since we claimed
   * it: the caller must not make the file visible, nor go on with the block.
   */
  async append(block: number, entry: CommitEntry | PagesEntry | SplitEntry | ReleaseEntry): Promise<boolean> {
    for (;;) {
      if (!this.holds(block)) return false;
      const { won, log } = await appendEntry(this.store, this.layout, block, this.logs.get(block) ?? [], entry);
      this.logs.set(block, log);
      if (won) return true;
    }
  }
}
