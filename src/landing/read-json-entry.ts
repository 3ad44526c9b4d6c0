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
