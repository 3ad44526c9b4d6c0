import { ConfigError } from '../errors.js';
import type { Store } from './types.js';

/** How long a parser's complaint may be in the error that names a corrupt entry (characters). */
const REASON_MAX_CHARS = 160;

/** What one reader of store JSON expects of an entry, and what it does when the entry is not that. */
export interface JsonEntryPolicy<T> {
  /** Turns the parsed JSON into the reader's value; throws when it is not one. Default: taken as it is. */
  parse?: (json: unknown) => T;
  /** What the entry should be, for the error that names a corrupt one (default "a JSON document"). */
  expected?: string;
  /**
   * For a tolerant reader: the value that stands for an entry that is missing or cannot be used (not
   * JSON, or refused by `parse`). Registers that other sessions append to while this one lists them (a
   * listed entry may be gone by the time it is read), and records a hand edit may break, are read this
   * way. Without it, a missing entry is `undefined` and a corrupt one is an error naming the file.
   */
  tolerate?: (key: string) => T | undefined;
}

/**
 * Reads one JSON entry of the landing zone (a plan, a block log or rate slot entry, a session record, a
 * schema): one policy for every reader. A store that cannot be read throws as the store does; an entry
 * that is missing or corrupt is `tolerate(key)` when the reader tolerates it, else missing is `undefined`
 * and corrupt is a ConfigError `<store>/<key>: <expected> …` (exit 2: the landing zone holds bad input).
 */
export async function readJsonEntry<T>(store: Store, key: string, policy: JsonEntryPolicy<T> & { tolerate: (key: string) => T }): Promise<T>;
export async function readJsonEntry<T>(store: Store, key: string, policy?: JsonEntryPolicy<T>): Promise<T | undefined>;
export async function readJsonEntry<T>(store: Store, key: string, policy: JsonEntryPolicy<T> = {}): Promise<T | undefined> {
  const bytes = await store.get(key);
  if (bytes === undefined) return policy.tolerate ? policy.tolerate(key) : undefined;
  try {
    const json: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    return policy.parse ? policy.parse(json) : (json as T);
  } catch (err) {
    if (policy.tolerate) return policy.tolerate(key);
    const expected = policy.expected ?? 'a JSON document';
    throw new ConfigError(`${store.location}/${key}`, `expected ${expected} (${reasonOf(err)}); repair or delete the file`, { cause: err });
  }
}

/** A `parse` for entries that are JSON objects (a record or a log entry): refuses null, arrays and scalars. */
export function asJsonObject<T extends object>(json: unknown): T {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new TypeError('not a JSON object');
  return json as T;
}

/** The first line of a parser's complaint, cut short: it may quote the entry. */
function reasonOf(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  return text.length > REASON_MAX_CHARS ? `${text.slice(0, REASON_MAX_CHARS - 1)}…` : text;
}

type TolerantPolicy<T> = Omit<JsonEntryPolicy<T>, 'tolerate'> & { tolerate: (key: string) => T };

/** Create-once entries this process has read whole, per store: key → the entry (frozen). */
const readOnce = new WeakMap<Store, Map<string, Promise<object>>>();

/**
 * Reads a create-once entry (a block or rate slot log's version), tolerantly, at most once per process: such
 * an entry never changes once written, so the sessions of one process (a local run's child hosts several
 * executors) share one read of it, and a read already under way is joined. In a 64-executor run every
 * session read every slot entry for itself, and the first seconds went to open/read/close (bench/RESULTS.md,
 * "Scale"). Only an entry read whole is kept: one missing or unusable (its `tolerate` value) is read again
 * next time. The entry is frozen, since every session of the process holds the same object.
 */
export function readCreateOnceEntry<T extends object>(store: Store, key: string, policy: TolerantPolicy<T>): Promise<T> {
  let entries = readOnce.get(store);
  if (!entries) readOnce.set(store, (entries = new Map()));
  const known = entries.get(key) as Promise<T> | undefined;
  if (known) return known;
  let whole = true;
  const tolerant: TolerantPolicy<T> = { ...policy, tolerate: (k) => ((whole = false), policy.tolerate(k)) };
  const read = readJsonEntry<T>(store, key, tolerant).then(
    (entry) => {
      if (!whole) entries.delete(key);
      return whole ? deepFreeze(entry) : entry;
    },
    (err: unknown) => {
      entries.delete(key);
      throw err;
    },
  );
  entries.set(key, read);
  return read;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
