import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import pLimit from 'p-limit';
import type { Clock } from '../clock.js';
import { pad, type Layout } from '../landing/layout.js';
import { asJsonObject, readJsonEntry } from '../landing/read-json-entry.js';
import type { Store } from '../landing/types.js';

/**
 * Executor sessions and their heartbeats: how executors that share nothing but the landing zone know
 * which of them are alive. One run of `ingest --executor-index I` is one session; it writes
 * `sessions/<session>.json` when it starts, every lease/4 while it runs, and once more when it ends.
 *
 * A session is **gone** (its block claims may be taken over) when:
 * - its record says it ended; or
 * - it ran on this host, in this PID namespace, and its process no longer exists (a kill -9 followed by
 *   a resume on the same machine takes over at once); or
 * - its heartbeat has not moved for a whole lease, as measured by the observer's own clock (so clocks of
 *   different machines never need to agree).
 * A paused process (a zombie) may wake after its lease lapsed: the block log fences it (block-log.ts).
 */
export interface SessionRecord {
  session: string;
  executor: number;
  host: string;
  pid: number;
  /** The PID namespace, so a PID is only checked from where it means the same process. */
  pid_ns?: string;
  started_at: string;
  beat_at: string;
  beat: number;
  lease_ms: number;
  ended_at?: string;
  /** Written with the last beat: what the session did. */
  stats?: Record<string, unknown>;
  /** The session waits for others' blocks and wants no rate slots for now (src/executor/rate-share.ts). */
  rate_idle?: boolean;
  /** 'discovery': the session only planned the run (one request inside the rate slots); it lands nothing. */
  role?: 'discovery';
}

/** Default lease: a session whose heartbeat has not moved for this long is gone (milliseconds). */
export const DEFAULT_LEASE_MS = 10_000;

export function newSessionId(executor: number): string {
  return `e${pad(executor, 3)}-${randomBytes(3).toString('hex')}`;
}

/** This process's identity for PID checks. */
export function processIdentity(): { host: string; pid: number; pid_ns?: string } {
  let pidNs: string | undefined;
  try {
    pidNs = readlinkSync('/proc/self/ns/pid');
  } catch {
    pidNs = undefined; // not Linux: PID checks are skipped, leases alone decide
  }
  return { host: hostname(), pid: process.pid, pid_ns: pidNs };
}

/** Keeps one session's record fresh. Beats are best effort: a failed write is retried at the next beat. */
export class Heartbeat {
  private record: SessionRecord;
  private readonly stop = new AbortController();
  private loop: Promise<void> = Promise.resolve();
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly layout: Layout,
    private readonly clock: Clock,
    session: string,
    executor: number,
    readonly leaseMs: number = DEFAULT_LEASE_MS,
    role?: SessionRecord['role'],
  ) {
    const now = new Date(clock.now()).toISOString();
    this.record = { session, executor, ...processIdentity(), started_at: now, beat_at: now, beat: 0, lease_ms: leaseMs, ...(role ? { role } : {}) };
  }

  get session(): string {
    return this.record.session;
  }

  /**
   * Writes the first record (must succeed: a claim must never name a session nobody can see) and starts
   * beating. `rateIdle`: the record says the session wants no rate slots yet (it joins the rate share once
   * it is ready to fetch, rate-share.ts), so the others do not make room for it while it prepares.
   */
  async start(opts: { rateIdle?: boolean } = {}): Promise<void> {
    if (opts.rateIdle) this.record = { ...this.record, rate_idle: true };
    await this.write();
    this.loop = (async () => {
      while (!this.stop.signal.aborted) {
        try {
          await this.clock.sleep(this.leaseMs / 4, this.stop.signal);
        } catch {
          return;
        }
        await this.write().catch(() => {});
      }
    })();
  }

  /** Says at once whether the session wants rate slots (it is idle while it waits for others' blocks). */
  async setRateIdle(idle: boolean): Promise<void> {
    this.record = { ...this.record, rate_idle: idle };
    await this.write();
  }

  /** Stops beating and writes the final record: the session's claims are free from now on. */
  async end(stats?: Record<string, unknown>): Promise<void> {
    this.stop.abort();
    await this.loop;
    await this.writing.catch(() => {});
    this.record = { ...this.record, ended_at: new Date(this.clock.now()).toISOString(), stats };
    await this.write();
  }

  /**
   * A beat is not fsynced (`durable: false`): it says the writer is alive, which a power loss makes untrue
   * by ending it, and 64 sessions starting together queued ~400 fsyncs on libuv's 4 threads. The final
   * record (its stats, the claims' release) is.
   */
  private write(): Promise<void> {
    this.record = { ...this.record, beat: this.record.beat + 1, beat_at: new Date(this.clock.now()).toISOString() };
    const durable = this.record.ended_at !== undefined;
    const p = this.store.put(this.layout.session(this.record.session), JSON.stringify(this.record), { durable }).then(() => {});
    this.writing = p;
    return p;
  }
}

/** Decides whether other sessions are gone, remembering when it first saw each heartbeat value. */
export class LivenessJudge {
  private readonly seen = new Map<string, { beat: number; since: number }>();
  private readonly me = processIdentity();

  constructor(
    private readonly store: Store,
    private readonly layout: Layout,
    private readonly clock: Clock,
    private readonly pidAlive: (pid: number) => boolean = isPidAlive,
    /** The reads of the other sessions this process hosts, to share (SharedRecordReads). */
    private readonly shared?: SharedRecordReads,
  ) {}

  read(session: string): Promise<SessionRecord | undefined> {
    const key = this.layout.session(session);
    return this.shared ? this.shared.read(key, () => readSessionRecord(this.store, key)) : readSessionRecord(this.store, key);
  }

  async isGone(session: string): Promise<boolean> {
    return this.isGoneByRecord(await this.read(session));
  }

  /**
   * The executor sessions of the run, `except` one, that are gone by their records now: ended, or their
   * process on this host is dead (a lapsed lease takes two looks, so none is gone by it here). Records are
   * read RECORD_READS_AT_ONCE at a time, through the reads this process shares: 64 executors starting
   * together each read every record one by one, then again to judge it (~8,000 reads in their first second).
   */
  async goneNow(except: string): Promise<string[]> {
    const ids = (await listSessionIds(this.store, this.layout)).filter((id) => id !== except);
    const limit = pLimit(RECORD_READS_AT_ONCE);
    const records = await Promise.all(ids.map((id) => limit(() => this.read(id))));
    return records.flatMap((r) => (r && r.role !== 'discovery' && this.isGoneByRecord(r) ? [r.session] : []));
  }

  /** `isGone` for a record the caller has just read (undefined: no record, so gone). */
  isGoneByRecord(r: SessionRecord | undefined): boolean {
    if (!r || r.ended_at) return true;
    if (r.host === this.me.host && r.pid_ns !== undefined && r.pid_ns === this.me.pid_ns) {
      if (!this.pidAlive(r.pid)) return true;
    }
    const now = this.clock.now();
    const seen = this.seen.get(r.session);
    if (!seen || seen.beat !== r.beat) {
      this.seen.set(r.session, { beat: r.beat, since: now });
      return false;
    }
    return now - seen.since >= r.lease_ms;
  }
}

/** How old a session record read by another session of this process may be and still be used (ms). */
export const SHARED_RECORD_MAX_AGE_MS = 250;

/**
 * Session records read by the executors one process hosts (a local run's child runs several), shared while
 * younger than SHARED_RECORD_MAX_AGE_MS. Each session reads every other's record at its ticks and takeover
 * passes: 8 sessions per process read each record 8 times over, about a thousand reads a second in a
 * 64-executor run. A record that old cannot make a live session look gone: a session beats every quarter
 * lease, and it is gone only when its beat has not moved for a whole lease (LivenessJudge); an ended or
 * idle one is seen that much later. A failed read is not kept.
 */
export class SharedRecordReads {
  private readonly recent = new Map<string, { at: number; record: Promise<SessionRecord | undefined> }>();

  constructor(private readonly clock: Clock) {}

  read(key: string, read: () => Promise<SessionRecord | undefined>): Promise<SessionRecord | undefined> {
    const now = this.clock.now();
    const hit = this.recent.get(key);
    if (hit && now - hit.at < SHARED_RECORD_MAX_AGE_MS) return hit.record;
    const record = read();
    const entry = { at: now, record };
    this.recent.set(key, entry);
    record.catch(() => this.recent.get(key) === entry && this.recent.delete(key));
    return record;
  }
}

function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Session records read at once by one look at every session (LivenessJudge.goneNow, rate-share.ts). */
export const RECORD_READS_AT_ONCE = 16;

/** The ids of the run's sessions, by the names of their records. */
export async function listSessionIds(store: Store, layout: Layout): Promise<string[]> {
  return (await store.list(layout.sessionsDir)).map((k) => k.slice(k.lastIndexOf('/') + 1).replace(/\.json$/, ''));
}

/** Every executor session record of a run (for status and the report); discovery sessions are left out. */
export async function readSessions(store: Store, layout: Layout): Promise<SessionRecord[]> {
  const out: SessionRecord[] = [];
  for (const key of await store.list(layout.sessionsDir)) {
    const record = await readSessionRecord(store, key);
    if (record && record.role !== 'discovery') out.push(record);
  }
  return out;
}

/**
 * A session record, or undefined when there is none or it cannot be read: a torn record cannot happen
 * with atomic puts, and a hand-edited one must stop neither status nor a takeover (it reads as gone).
 */
function readSessionRecord(store: Store, key: string): Promise<SessionRecord | undefined> {
  return readJsonEntry<SessionRecord>(store, key, { parse: asJsonObject, tolerate: () => undefined });
}
