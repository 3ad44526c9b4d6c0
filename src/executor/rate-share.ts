import pLimit from 'p-limit';
import type { Clock } from '../clock.js';
import type { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';
import { SlotLogReader, slotCountFor, slotHolder, type SlotEntry } from '../ledger/rate-slots.js';
import { listSessionIds, RECORD_READS_AT_ONCE, type LivenessJudge, type SessionRecord } from '../ledger/sessions.js';

/** What the rate share drives: the session's request governor (src/http/rate-governor.ts). */
export interface ShareTarget {
  /** Requests/s this session may send from now on; 0 means send nothing. */
  setShare(rate: number): void;
  /** Callers waiting for the rate now (RateGovernor.pendingCount): while some wait, more rate would be used. */
  readonly pendingCount?: number;
}

/**
 * A session's fair number of slots: `floor(K / L)` for each of the L live sessions, plus one for the first
 * `K mod L` of them in session-id order. 0 when `me` is not among the live sessions.
 */
export function fairShare(slots: number, live: readonly string[], me: string): number {
  const sessions = [...new Set(live)].sort();
  const at = sessions.indexOf(me);
  if (at < 0) return 0;
  const base = Math.floor(slots / sessions.length);
  return base + (at < slots % sessions.length ? 1 : 0);
}

/**
 * What a session does with its slots: give up its highest-numbered ones above its fair share, or claim
 * free ones up to it. Free slots are taken from `start` on (wrapping), so sessions that claim at the
 * same moment start in different places and seldom race for the same slot.
 */
export function rebalance(
  held: readonly number[],
  free: readonly number[],
  fair: number,
  start = 0,
): { claim: number[]; release: number[] } {
  if (held.length > fair) return { claim: [], release: [...held].sort((a, b) => b - a).slice(0, held.length - fair) };
  const order = [...free].sort((a, b) => a - b);
  const from = order.findIndex((s) => s >= start);
  const rotated = from < 0 ? order : [...order.slice(from), ...order.slice(0, from)];
  return { claim: rotated.slice(0, fair - held.length), release: [] };
}

export interface RateShareOptions {
  store: Store;
  layout: Layout;
  clock: Clock;
  judge: LivenessJudge;
  session: string;
  /** Slots the job's rate is cut into (rate-slots.ts slotCountFor). */
  slots: number;
  /** The run's executors (plan.executors): while fewer want slots early on, the others are probably starting. */
  executors?: number;
  /** This session's executor index: where its first claim starts (plannedSlots). */
  index?: number;
  /**
   * The run's executors start at the same moment (a local run's children): a session's first claim is then
   * its planned slots only (plannedSlots). Executors that start on their own (pods) take every free slot.
   */
  startedTogether?: boolean;
  /** The job's rate, limits.rate (requests/s). */
  jobRate: number;
  target: ShareTarget;
  /** How often the slot logs are re-read (ms). */
  periodMs?: number;
  /** Session records are re-read at least this often even when nothing moved (ms): a quarter lease. */
  sessionsEveryMs: number;
  /** Publishes whether this session wants slots (its heartbeat record's `rate_idle`). */
  announceIdle?: (idle: boolean) => Promise<void>;
  /** The other sessions of this process (ShareNudges). */
  nudges?: ShareNudges;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

/**
 * The rate shares of the sessions one process hosts (a local run's child): when one of them goes idle or
 * ends, the others that would use more rate tick soon (NUDGE_TICK_MS) instead of at their next period,
 * which with 64 sessions is 4 s away (tickPeriod): the last sessions still fetching at the end of a run
 * sat at their 1/64 share for up to 3 s while the others were done (bench/RESULTS.md, "Scale"). Only the
 * sessions of one process hear of it (they share nothing else but the landing zone); a process's
 * sessions end together with its work, so each process's last sessions grow into the freed slots.
 */
export class ShareNudges {
  private readonly listeners = new Set<() => void>();

  /** Calls `onNudge` when another session of the process goes idle or ends; returns the unsubscribe. */
  listen(onNudge: () => void): () => void {
    this.listeners.add(onNudge);
    return () => this.listeners.delete(onNudge);
  }

  /** A session went idle or ended: the others hear of it (not `from`). */
  nudge(from: () => void): void {
    for (const l of this.listeners) if (l !== from) l();
  }
}

/** How soon a nudged session ticks (ms): the nudges of sessions going idle one after another are coalesced. */
export const NUDGE_TICK_MS = 150;

/** Above this many sessions wanting slots, a session short of its share does not look again sooner. */
const SHORT_RETRY_MAX_SESSIONS = 8;
/**
 * For this long after it starts, a session that sees fewer sessions wanting slots than the run has executors
 * looks again sooner (a quarter period): executors started together come up a few hundred ms apart, and the
 * first to tick holds every slot until its next look, which at a full period cost a 2,000-page run ~1 s of
 * its second executor.
 */
const EXPECT_OTHERS_MS = 10_000;
/**
 * Sessions whose record says they are idle are read again at every tick while there are at most this many: an
 * idle session can want slots again at any moment (a block freed up, or a newcomer joining once prepared), and
 * it says so only in its record, so the holders must look for it to hand slots back within a tick rather than
 * at the next full read (a quarter lease: a 2-executor run waited 3.3 s for its share). Beyond this many, the
 * reads would cost more than the share won back (64 sessions idle at the end of a run).
 */
const IDLE_REREAD_MAX_SESSIONS = 16;

/** How often a session re-reads the slot logs by default (ms). */
export const DEFAULT_RATE_SHARE_PERIOD_MS = 1_000;

/**
 * Between ticks, a session whose callers wait on its governor (it would use more rate) lists the slot logs
 * this often (ms), and ticks at once when an entry is new. A session that lowers and releases (it goes idle
 * or ends) does so at once, but the others saw it only at their next tick, up to a period later: 4 executors
 * started 1 s apart at 200 requests/s left ~45 requests' worth of rate unused as 3 of them finished (2% of
 * the run). A look is one listing; new entries are read once. With more than SHORT_RETRY_MAX_SESSIONS
 * sessions wanting slots there are no looks between ticks (their listings would cost more than they win).
 */
export const HUNGRY_LOOK_MS = 100;

/**
 * Between ticks, a session short of its fair share (a newcomer: the holders lower and release at their next
 * tick) lists the slot logs this often (ms). It looked every quarter period (250 ms), so the share a holder
 * released for it was unused for 125 ms on average at every join; a newcomer is short for a tick or two.
 */
export const SHORT_LOOK_MS = 50;

/** Sessions per period of a tick: with more, each session looks less often (tickPeriod). */
const SESSIONS_PER_PERIOD = 16;

/**
 * How long a session waits between two ticks, or two looks, at the slot logs: the period, times one more for
 * every 16 sessions. A tick is stretched by the sessions that want slots (those that tick: an idle one
 * holding nothing does not), a look by the live ones (what it lists grows with them). With L sessions
 * looking, their looks cost L² per period; 64 executors on one machine spent their CPU on them instead of on
 * pages. What waits longer: a session's share growing into slots freed by others (never the order of
 * lower-before-release, which each tick keeps, nor a finishing session's release, which is at once). Ticks
 * stretched by all 64 live sessions left the 10-20 still fetching at the end of a run at their 1/64 share
 * for 4 s at a time while the rest sat idle (bench/RESULTS.md, "Scale").
 */
export function tickPeriod(periodMs: number, sessions: number): number {
  return periodMs * Math.max(1, Math.ceil(sessions / SESSIONS_PER_PERIOD));
}

/**
 * One session's part in the rate slots (rate-slots.ts): every period it re-reads the slot logs, counts the
 * live sessions, and moves towards its fair share: **lower the governor, then release**; **claim, then
 * raise**. Each slot has one holder at a time, so the sum of the sessions' shares never passes the job's
 * rate, while sessions appear (they get slots within a period or two) and disappear (a finished one
 * releases at once; a killed one's slots free up when LivenessJudge says it is gone).
 *
 * Where the sum can pass the rate: a session that is paused or cut off (a zombie) while the others judge it
 * gone (its lease lapsed) keeps sending at its old share until its next tick re-reads the logs and sees
 * its slots taken. Until then the API sees up to twice that share; the governor's AIMD halves the rate of
 * every session that gets a 429 and honours Retry-After, which brings the total back under the API's limit.
 */
export class RateShare {
  private readonly reader: SlotLogReader;
  private readonly stop = new AbortController();
  private loop: Promise<void> = Promise.resolve();
  private readonly records = new Map<string, SessionRecord>();
  private readonly ended = new Set<string>();
  private sessionsReadAt = -Infinity;
  private held: number[] = [];
  private share = 0;
  private stopped = false;
  private idleNow = false;
  /** The last tick left this session below its fair share. */
  private short = false;
  /** Live sessions at the last tick, and those wanting slots, this one included (tickPeriod). */
  private liveCount = 1;
  private wantingCount = 1;
  /** Sessions wanting slots at the last tick were few enough for fast looks (SHORT_RETRY_MAX_SESSIONS). */
  private fewWanting = true;
  /** The last tick left this session holding fewer slots than its fair share (others still hold them). */
  private belowFair = false;
  /** When the last tick started (epoch ms): the next is due a period (a quarter, when short) later. */
  private tickedAt = -Infinity;
  private ticking: Promise<void> = Promise.resolve();
  /** No tick has decided yet (plannedSlots). */
  private firstTick = true;
  /** setShare has been called once (the first call always reaches the governor). */
  private started = false;
  /** The most slots this session held at once. */
  maxSlots = 0;
  private slotSeconds = 0;
  private lastAt: number;
  private readonly startedAt: number;
  /** Wakes the loop's sleep early (a nudge); replaced after each wake. */
  private wake = new AbortController();
  /** A nudge asked for a tick by this time (epoch ms). */
  private nudgedTickAt = Infinity;
  private readonly onNudge = () => {
    if (this.idleNow || this.stopped || (this.opts.target.pendingCount ?? 0) === 0) return;
    this.nudgedTickAt = Math.min(this.nudgedTickAt, this.opts.clock.now() + NUDGE_TICK_MS);
    this.wake.abort();
  };
  private readonly unlisten: () => void;

  constructor(private readonly opts: RateShareOptions) {
    this.reader = new SlotLogReader(opts.store, opts.layout);
    this.startedAt = this.lastAt = opts.clock.now();
    this.unlisten = opts.nudges?.listen(this.onNudge) ?? (() => {});
  }

  /**
   * Sends nothing until the first slots are held, then keeps rebalancing every period. Says first that the
   * session wants slots (its record may say it is idle: Heartbeat.start `rateIdle`).
   */
  async start(): Promise<void> {
    this.setShare(0);
    await this.opts.announceIdle?.(false).catch(() => {});
    await this.rebalanceNow();
    this.loop = (async () => {
      while (!this.stop.signal.aborted) {
        const untilTick = this.tickDue() - this.opts.clock.now();
        try {
          await this.opts.clock.sleep(Math.max(0, Math.min(this.wakeEvery(), untilTick)), AbortSignal.any([this.stop.signal, this.wake.signal]));
        } catch {
          if (this.stop.signal.aborted) return;
          this.wake = new AbortController(); // nudged: the tick is due sooner (tickDue)
          continue;
        }
        // idle with no slot, a tick could only read: with 64 sessions on one machine, most of them wait
        // like this at the end of a run, and their reads would cost the fetching ones CPU (setIdle(false) ticks)
        if (this.idleNow && this.held.length === 0) {
          this.tickedAt = this.opts.clock.now();
          continue;
        }
        if (this.opts.clock.now() >= this.tickDue()) await this.rebalanceNow();
        else if (this.wantsMore()) await this.lookNow();
      }
    })();
  }

  /** When the next tick is due (epoch ms): a period after the last, a quarter period while short. */
  private tickDue(): number {
    const period = tickPeriod(this.opts.periodMs ?? DEFAULT_RATE_SHARE_PERIOD_MS, this.wantingCount);
    return Math.min(this.nudgedTickAt, this.tickedAt + (this.short ? period / 4 : period));
  }

  /**
   * How often the session wakes between ticks to see whether it wants more rate (ms): with few sessions wanting
   * slots, SHORT_LOOK_MS while short of its fair share, else HUNGRY_LOOK_MS (callers may start waiting at any
   * moment; a wake that finds none costs nothing), both stretched like the tick (tickPeriod) when many sessions
   * are live, since the slot logs they list grow with them; with many wanting, or idle, never (Infinity).
   */
  private wakeEvery(): number {
    if (this.idleNow || !this.fewWanting) return Infinity;
    return tickPeriod(this.belowFair ? SHORT_LOOK_MS : HUNGRY_LOOK_MS, this.liveCount);
  }

  /** Whether the session would use more rate: short of its fair share, or callers wait on its governor. */
  private wantsMore(): boolean {
    if (this.idleNow || !this.fewWanting) return false;
    return this.belowFair || (this.opts.target.pendingCount ?? 0) > 0;
  }

  /** Lists the slot logs (after any running tick) and ticks at once when an entry is new (a release, most likely). */
  private lookNow(): Promise<void> {
    this.ticking = this.ticking
      .then(async () => {
        if (this.stopped) return;
        if ((await this.reader.refresh()) > 0) await this.tick();
      })
      .catch((err: unknown) => this.opts.log?.('rate_share_error', { error: String(err) }));
    return this.ticking;
  }

  /** Whether the session said it wants no slots for now. */
  get idle(): boolean {
    return this.idleNow;
  }

  /**
   * Idle (waiting for other sessions' blocks): the session wants no slots, so it lowers to 0 and gives
   * them up, and others stop counting it in their fair shares. Busy again: it asks for its share back.
   */
  async setIdle(idle: boolean): Promise<void> {
    if (idle === this.idleNow || this.stopped) return;
    this.idleNow = idle;
    await this.opts.announceIdle?.(idle).catch(() => {});
    await this.rebalanceNow();
    if (idle) this.opts.nudges?.nudge(this.onNudge); // its slots are free: the process's others may take them
  }

  /** Runs a tick after any running one (ticks never overlap). */
  private rebalanceNow(): Promise<void> {
    this.ticking = this.ticking.then(() => this.tick()).catch((err: unknown) => this.opts.log?.('rate_share_error', { error: String(err) }));
    return this.ticking;
  }

  /**
   * Lowers the share to 0, then releases every slot (for good): the others take them at their next tick.
   * `release: false` (the session was interrupted and must return at once) writes nothing: its slots free
   * up when its record says it ended. Idempotent.
   */
  async end(opts: { release?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unlisten();
    this.stop.abort();
    this.setShare(0);
    if (opts.release === false) return;
    await this.loop;
    await this.ticking;
    const at = new Date(this.opts.clock.now()).toISOString();
    await Promise.all(this.held.map((slot) => this.reader.append(slot, { kind: 'release', session: this.opts.session, at, final: true }).catch(() => false)));
    const released = this.held.length > 0;
    this.held = [];
    if (released) this.opts.nudges?.nudge(this.onNudge);
  }

  /** Slots held now, and the session's mean share (requests/s) from start until now. */
  get stats(): { rateSlotsMax: number; rateShareMean: number } {
    this.account();
    const seconds = Math.max(1e-3, (this.lastAt - this.startedAt) / 1000);
    const meanSlots = this.slotSeconds / seconds;
    return { rateSlotsMax: this.maxSlots, rateShareMean: Math.round((100 * meanSlots * this.opts.jobRate) / this.opts.slots) / 100 };
  }

  /** One rebalance: read, decide, lower-release / claim-raise. */
  async tick(): Promise<void> {
    const { session, slots, clock } = this.opts;
    this.tickedAt = clock.now();
    this.nudgedTickAt = Infinity;
    await this.reader.refresh();
    if (this.stopped) return;
    const holders = Array.from({ length: slots }, (_, s) => slotHolder(this.reader.logs.get(s)));
    const { alive, wanting } = await this.liveSessions();
    if (this.stopped) return;
    this.liveCount = alive.size;
    this.wantingCount = Math.max(1, wanting.size);
    const held: number[] = [];
    const free: number[] = [];
    holders.forEach((h, s) => {
      if (h === session) held.push(s);
      else if (h === undefined || !alive.has(h)) free.push(s);
    });
    this.held = held;
    const fairNow = this.idleNow ? 0 : fairShare(slots, [...wanting], session);
    const planned = this.firstTick && this.opts.startedTogether ? this.plannedSlots() : undefined;
    this.firstTick = false;
    const fair = planned ? Math.min(fairNow, planned.count) : fairNow;
    const start = planned?.start ?? Math.floor(([...wanting].sort().indexOf(session) * slots) / Math.max(1, wanting.size));
    const { claim, release } = rebalance(held, free, fair, start);
    // lower first, then release: at no moment do two sessions count the same slot in their shares
    this.setShare(this.rateOf(held.length - release.length));
    const at = new Date(clock.now()).toISOString();
    if (release.length) {
      const entry: SlotEntry = { kind: 'release', session, at, ...(this.idleNow ? { idle: true } : {}) };
      await Promise.all(release.map((slot) => this.reader.append(slot, entry).catch(() => false)));
      this.held = held.filter((s) => !release.includes(s));
    }
    if (claim.length) {
      const won = await Promise.all(claim.map((slot) => this.reader.append(slot, { kind: 'claim', session, at } satisfies SlotEntry).catch(() => false)));
      this.held = [...this.held, ...claim.filter((_, i) => won[i])].sort((a, b) => a - b);
      // end() waits for this tick, then lowers to 0 and releases everything held, these claims included
      if (!this.stopped) this.setShare(this.rateOf(this.held.length));
    }
    this.maxSlots = Math.max(this.maxSlots, this.held.length);
    this.fewWanting = wanting.size <= SHORT_RETRY_MAX_SESSIONS;
    this.belowFair = this.held.length < fair;
    // short of its share, or early with executors yet to show: look again sooner (with many sessions, looking
    // sooner costs more listings than the share it wins back)
    const expecting = wanting.size < (this.opts.executors ?? 1) && clock.now() - this.startedAt < EXPECT_OTHERS_MS;
    this.short = (this.held.length < fairNow || expecting) && wanting.size <= SHORT_RETRY_MAX_SESSIONS;
  }

  /**
   * The sessions of the run that are not gone (`alive`: their slots are theirs) and, among them, those
   * that want slots (`wanting`, always including this one unless it is idle). A session does not want
   * slots while its latest slot entry is an idle or final release, or its record says it is idle.
   * Records are read when a session first appears, those of idle sessions at every tick while there are few
   * (IDLE_REREAD_MAX_SESSIONS), and all again every quarter lease (the liveness judge needs no more); an ended
   * session is never read again. So a tick costs two listings and the reads of new entries and idle records.
   */
  private async liveSessions(): Promise<{ alive: Set<string>; wanting: Set<string> }> {
    const { store, layout, judge, clock, session } = this.opts;
    const ids = await listSessionIds(store, layout);
    const now = clock.now();
    const full = now - this.sessionsReadAt >= this.opts.sessionsEveryMs;
    const idle = ids.filter((id) => this.records.get(id)?.rate_idle === true);
    const rereadIdle = idle.length <= IDLE_REREAD_MAX_SESSIONS;
    const stale = (id: string) => full || !this.records.has(id) || (rereadIdle && this.records.get(id)!.rate_idle === true);
    const toRead = ids.filter((id) => id !== session && !this.ended.has(id) && stale(id));
    if (toRead.length) {
      const limit = pLimit(RECORD_READS_AT_ONCE);
      const records = await Promise.all(toRead.map((id) => limit(() => judge.read(id).catch(() => undefined))));
      if (full) this.records.clear();
      toRead.forEach((id, i) => {
        const r = records[i];
        if (r?.ended_at) this.ended.add(id);
        else if (r) this.records.set(id, r);
      });
    }
    if (full) this.sessionsReadAt = now;
    const latest = new Map<string, SlotEntry>();
    for (const log of this.reader.logs.values()) {
      for (const e of log) if (e.session && (latest.get(e.session)?.at ?? '') <= e.at) latest.set(e.session, e);
    }
    // the later of the session's latest slot entry and its record (one writer, one clock) says whether it is idle
    const stepsAside = (id: string, r: SessionRecord) => {
      const e = latest.get(id);
      if (e?.kind === 'release' && e.final) return true;
      if (e && e.at >= r.beat_at) return e.kind === 'release' && e.idle === true;
      return r.rate_idle === true;
    };
    const alive = new Set<string>([session]);
    const wanting = new Set<string>(this.idleNow ? [] : [session]);
    for (const [id, r] of this.records) {
      if (judge.isGoneByRecord(r)) continue;
      alive.add(id);
      if (!stepsAside(id, r)) wanting.add(id);
    }
    return { alive, wanting };
  }

  /**
   * The first claim of a session started together with the others (`startedTogether`): its part of the slots
   * as if every executor the run planned were live, `count` slots from `start` (executor i of N: from i·K/N
   * on). They come up tens of ms apart and do not see each other yet: the first to tick took every slot and
   * the others sent nothing until its next tick released them (200-400 ms of one executor's start in a
   * 2-executor run), and sessions that all started claiming at slot 0 lost those races. A session alone
   * for longer takes the rest at its next tick, a quarter period later (`short`). Executors started on
   * their own (pods, 1 s apart in the benchmark's rate case) do not wait so: the first would hold a quarter
   * of the rate for that quarter period, ~2% of a 10 s run.
   */
  private plannedSlots(): { count: number; start: number } {
    const executors = Math.max(1, this.opts.executors ?? 1);
    const index = Math.min(executors - 1, Math.max(0, this.opts.index ?? 0));
    return { count: Math.max(1, Math.floor(this.opts.slots / executors)), start: Math.floor((index * this.opts.slots) / executors) };
  }

  private rateOf(slots: number): number {
    return (slots * this.opts.jobRate) / this.opts.slots;
  }

  private setShare(rate: number): void {
    this.account();
    if (rate === this.share && this.started) return;
    this.started = true;
    this.share = rate;
    this.opts.target.setShare(rate);
  }

  /** Adds the slot-time since the last change to the session's total. */
  private account(): void {
    const now = this.opts.clock.now();
    this.slotSeconds += ((now - this.lastAt) / 1000) * ((this.share * this.opts.slots) / this.opts.jobRate);
    this.lastAt = now;
  }
}

/** The rate share of an executor session, when its context gives a governor to drive (else undefined). */
export function rateShareFor(
  ctx: { store: Store; layout: Layout; clock: Clock; index: number; startedTogether?: boolean; plan: { executors: number }; spec: { limits: { rate: number } }; governor?: ShareTarget; shareNudges?: ShareNudges; log?: RateShareOptions['log'] },
  session: string,
  judge: LivenessJudge,
  leaseMs: number,
  announceIdle: (idle: boolean) => Promise<void>,
): RateShare | undefined {
  if (!ctx.governor) return undefined;
  return new RateShare({
    store: ctx.store,
    layout: ctx.layout,
    clock: ctx.clock,
    judge,
    session,
    slots: slotCountFor(ctx.plan.executors),
    executors: ctx.plan.executors,
    index: ctx.index,
    startedTogether: ctx.startedTogether,
    jobRate: ctx.spec.limits.rate,
    target: ctx.governor,
    sessionsEveryMs: leaseMs / 4,
    announceIdle,
    nudges: ctx.shareNudges,
    log: ctx.log,
  });
}
