import pLimit from 'p-limit';
import { Layout } from '../landing/layout.js';
import { asJsonObject, readCreateOnceEntry } from '../landing/read-json-entry.js';
import type { Store } from '../landing/types.js';

/**
 * Rate slots: the job's `limits.rate` cut into K equal slots, each a register in the landing zone that one
 * session at a time holds. A session may send requests at `slotsHeld × rate / K` (src/executor/rate-share.ts
 * decides how many it wants; this module only reads and appends).
 *
 * Each slot has a log `rate/s<slot>-<version>.json`, versions 1, 2, 3, …, each written **create-once**, and
 * appended as version n+1 only by a writer that has read version n: the same compare-and-swap register as
 * the block log (block-log.ts), so two sessions can never both claim a slot after the same entry.
 * - `claim`: the session holds the slot from now on;
 * - `release`: it gave the slot up (it had more than its fair share; it is idle: `idle`; its work is done:
 *   `final`).
 * A slot is free when it was never claimed, its last entry is a release, or its holder is gone
 * (sessions.ts LivenessJudge).
 */
export interface SlotClaim {
  kind: 'claim';
  session: string;
  at: string;
}

export interface SlotRelease {
  kind: 'release';
  session: string;
  at: string;
  /** The session has left the rate share for good (its work is done or it is ending). */
  final?: boolean;
  /** The session gave its slots up because it waits for others (until it claims again). */
  idle?: boolean;
}

export type SlotEntry = SlotClaim | SlotRelease;

/** Every slot's log as read: entries in version order (`log[v - 1]` is version v). */
export type SlotLogs = Map<number, SlotEntry[]>;

/** How many slot entries are read or appended at once. */
const IO_CONCURRENCY = 16;

/** The number of slots of a run: 4 per executor, at least 16, at most 1024 (see rate-share.ts). */
export function slotCountFor(executors: number): number {
  return Math.min(1024, Math.max(16, 4 * executors));
}

/** The session holding a slot by its log (undefined when it was never claimed or its last entry is a release). */
export function slotHolder(log: readonly SlotEntry[] | undefined): string | undefined {
  const last = log?.at(-1);
  return last?.kind === 'claim' ? last.session : undefined;
}

/**
 * Keeps one session's view of the slot logs up to date with one listing and reads of the versions it has
 * not seen (entries never change once written, so each is read once per session).
 */
export class SlotLogReader {
  readonly logs: SlotLogs = new Map();
  /** Keys already read. */
  private readonly seen = new Set<string>();
  private readonly limit = pLimit(IO_CONCURRENCY);

  constructor(
    private readonly store: Store,
    private readonly layout: Layout,
  ) {}

  /** Lists the slot logs and reads the new entries; returns how many entries were new. */
  async refresh(): Promise<number> {
    const keys = await this.store.list(this.layout.rateDir);
    const fresh = keys
      .filter((key) => !this.seen.has(key)) // most keys were seen at an earlier refresh: skip them cheaply
      .map((key) => ({ key, at: Layout.parseRateSlotEntry(key) }))
      .filter((e): e is { key: string; at: { slot: number; version: number } } => e.at !== undefined)
      .filter((e) => this.logs.get(e.at.slot)?.[e.at.version - 1] === undefined);
    const bodies = await Promise.all(fresh.map((e) => this.limit(() => readSlotEntry(this.store, e.key))));
    fresh.forEach((e, i) => {
      this.seen.add(e.key);
      const log = this.logs.get(e.at.slot) ?? [];
      log[e.at.version - 1] = bodies[i];
      this.logs.set(e.at.slot, log);
    });
    // a gap (a version listed later than the next one, or deleted by hand) reads as a release by nobody
    for (const log of this.logs.values()) for (let v = 0; v < log.length; v++) log[v] ??= { kind: 'release', session: '', at: '' };
    return fresh.length;
  }

  /**
   * Appends `entry` to a slot's log after the entries this reader knows. False when another session
   * appended first (the log is then re-read at the next refresh and the caller decides again).
   */
  async append(slot: number, entry: SlotEntry): Promise<boolean> {
    const known = this.logs.get(slot) ?? [];
    const key = this.layout.rateSlotEntry(slot, known.length + 1);
    // not fsynced: an entry speaks for a live session, and a power loss ends the session (Store.put `durable`)
    const won = await this.limit(() => this.store.put(key, JSON.stringify(entry), { ifAbsent: true, durable: false }));
    if (won) {
      this.logs.set(slot, [...known, entry]);
      this.seen.add(key);
    }
    return won;
  }
}

/** An entry gone or unreadable by the time it is read: nobody holds the slot by it. */
function readSlotEntry(store: Store, key: string): Promise<SlotEntry> {
  return readCreateOnceEntry<SlotEntry>(store, key, { parse: asJsonObject, tolerate: () => ({ kind: 'release', session: '', at: '' }) });
}
