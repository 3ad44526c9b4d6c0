/**
 * Options of the demo API: defaults, checks, and the incremental-runs scheme. A larger `size` with the same
 * `seed` keeps every record (each is generated from (seed, index) alone). With `baseSize` B > 0, records with
 * id > B are "added" ones, released after `addedAfter` in id order, ADDED_PER_DAY a day; no base record is
 * released after LAST_YEAR-12-28, so with the default `addedAfter` (LAST_YEAR-12-31) run 1 against
 * `size` B up to that day and run 2 against `size` N, `baseSize` B from it fetch ids 1..B and B+1..N.
 */
import { ConfigError } from '../errors.js';
import { MOCK_DEFAULTS } from './constants.js';
import { parseIsoDay } from './dates.js';
import type { AddedRecords, MockApiOptions } from './types.js';

const INTEGER_OPTIONS = [
  'port', 'size', 'perPage', 'seed', 'latencyMs', 'latencyJitterMs', 'slowBodyMs', 'driftAfterPage', 'insertEvery',
  'maxPages', 'baseSize',
] as const;
const RATE_OPTIONS = ['errorRate', 'resetRate', 'truncateRate', 'htmlRate'] as const;

/**
 * Fills defaults (an `undefined` value counts as unset) and checks every option, throwing
 * `ConfigError('mock.<option>', 'must be …')` on the first bad one.
 */
export function resolveMockOptions(partial: Partial<MockApiOptions> = {}): MockApiOptions {
  const o: MockApiOptions = { ...MOCK_DEFAULTS };
  for (const [k, v] of Object.entries(partial)) {
    if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
  }
  for (const k of INTEGER_OPTIONS) {
    if (!Number.isSafeInteger(o[k]) || o[k] < 0) throw new ConfigError(`mock.${k}`, 'must be an integer >= 0');
  }
  if (o.port > 65535) throw new ConfigError('mock.port', 'must be from 0 to 65535');
  if (o.perPage < 1) throw new ConfigError('mock.perPage', 'must be an integer >= 1');
  if (o.maxPages < 1) throw new ConfigError('mock.maxPages', 'must be an integer >= 1');
  checkAddedRecords(o, partial.addedAfter !== undefined);
  let sum = 0;
  for (const k of RATE_OPTIONS) {
    if (typeof o[k] !== 'number' || !(o[k] >= 0 && o[k] <= 1)) {
      throw new ConfigError(`mock.${k}`, 'must be a number from 0 to 1');
    }
    sum += o[k];
  }
  if (sum > 1) throw new ConfigError('mock.errorRate', 'errorRate + resetRate + truncateRate + htmlRate must be <= 1');
  if (typeof o.rateLimit !== 'number' || !(o.rateLimit >= 0) || !Number.isFinite(o.rateLimit)) {
    throw new ConfigError('mock.rateLimit', 'must be a number of requests/s >= 0 (0 = off)');
  }
  if (typeof o.host !== 'string' || !o.host) throw new ConfigError('mock.host', 'must be a non-empty string');
  if (o.requireToken !== undefined && (typeof o.requireToken !== 'string' || !o.requireToken)) {
    throw new ConfigError('mock.requireToken', 'must be a non-empty string');
  }
  if (o.requireParam !== undefined && (typeof o.requireParam?.name !== 'string' || !o.requireParam.name || typeof o.requireParam.value !== 'string')) {
    throw new ConfigError('mock.requireParam', 'must be a query parameter name and value, e.g. api_key=k3y');
  }
  if (o.echoParam !== undefined && (typeof o.echoParam !== 'string' || !o.echoParam)) {
    throw new ConfigError('mock.echoParam', 'must be a query parameter name');
  }
  if (o.crossOriginNext !== undefined) o.crossOriginNext = checkOrigin(o.crossOriginNext);
  return o;
}

/** The incremental-runs scheme of resolved options, or undefined when `baseSize` is 0 (off). */
export function addedRecordsOf(o: MockApiOptions): AddedRecords | undefined {
  return o.baseSize > 0 ? { baseIndex: o.baseSize, afterDay: parseIsoDay(o.addedAfter)! } : undefined;
}

function checkAddedRecords(o: MockApiOptions, addedAfterSet: boolean): void {
  if (o.baseSize > o.size) throw new ConfigError('mock.baseSize', `must be from 0 to size (${o.size}); 0 = off`);
  if (typeof o.addedAfter !== 'string' || parseIsoDay(o.addedAfter) === undefined) {
    throw new ConfigError('mock.addedAfter', 'must be a date YYYY-MM-DD');
  }
  if (addedAfterSet && o.baseSize === 0) {
    throw new ConfigError('mock.addedAfter', 'needs baseSize > 0 (the records after baseSize are the added ones)');
  }
}

/** Returns the origin of `url` (e.g. `http://127.0.0.2:8080`), or throws. */
function checkOrigin(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.origin;
  } catch {
    // fall through
  }
  throw new ConfigError('mock.crossOriginNext', 'must be an http(s) URL such as http://127.0.0.1:8081');
}
