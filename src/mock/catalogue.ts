import { ADDED_PER_DAY, FIRST_YEAR, LAST_YEAR, UPDATED_FROM_MS, UPDATED_SPAN_MS } from './constants.js';
import { isoDay, parseIsoDay, yearOfDay } from './dates.js';
import { hashInts, Rng } from './hash.js';
import { ReleaseIndex } from './release-index.js';
import type { AddedRecords, MovieRecord } from './types.js';
import * as W from './words.js';

const YEAR_SALT = 0x5945_4152; // "YEAR"
const RECORD_SALT = 0x5245_4344; // "RECD"
/**
 * Only records with index % NATIVE_EVERY === NATIVE_AT get non-Latin-1 original titles (ja, ko, zh, hi
 * scripts). One such character makes V8 hold the whole page body as a two-byte string, which doubles the
 * cost of serialising and encoding it; this way 9 pages in 10 stay fast and every catalogue of more than
 * 7 records still has some.
 */
const NATIVE_EVERY = 1000;
const NATIVE_AT = 6;
const NATIVE_LANGUAGES = Object.keys(W.NATIVE_TITLES);

/**
 * A deterministic TMDB-like movie catalogue. Record `i` is generated on demand from (seed, i), so nothing
 * is materialised; only the per-year index lists used by `year=` slices and the release-date order of the
 * /discover routes are built (lazily, once). A larger `size` with the same seed keeps every record.
 *
 * Release dates are drawn uniformly from FIRST_YEAR-01-01 to LAST_YEAR-12-28 (day of month 1..28), except
 * for the added records of `added` (records `added.baseIndex` and up): those are dated in id order after
 * `added.afterDay`, ADDED_PER_DAY a day, so a second run over [afterDay + 1, …] finds exactly them.
 *
 * Record (seed 1, index 0), overview abridged:
 * ```json
 * { "adult": false, "backdrop_path": "/6j02GEtssPJSTHxnkyj6prfqKtJ.jpg", "genre_ids": [27], "id": 1,
 *   "original_language": "zh", "original_title": "Changcheng Zhi Wai", "overview": "A famous novelist …",
 *   "popularity": 181.472, "poster_path": "/cdcmgDtJiBVg2lBA6Xn76agp6Jo.jpg", "release_date": "2021-02-03",
 *   "title": "Desert of the Symphony", "video": false, "vote_average": 4.746, "vote_count": 4098,
 *   "updated_at": "2023-09-29T08:18:55.055Z",
 *   "production": { "budget": 292609000, "revenue": 0, "countries": ["US"] },
 *   "keywords": ["time travel", "dystopia"] }
 * ```
 */
export class Catalogue {
  private byYear = new Map<number, Int32Array>();
  private byRelease: ReleaseIndex | undefined;

  constructor(
    readonly seed: number,
    readonly size: number,
    readonly added?: AddedRecords,
  ) {}

  /** Release year of record `index` (also defined for indices >= size: inserted records). */
  yearOf(index: number): number {
    if (this.isAdded(index)) return yearOfDay(this.addedDay(index));
    return FIRST_YEAR + (hashInts(this.seed, index, YEAR_SALT) % (LAST_YEAR - FIRST_YEAR + 1));
  }

  /** Ascending indices (< size) of the records released in `year`. Cached. */
  indicesForYear(year: number): Int32Array {
    let list = this.byYear.get(year);
    if (!list) {
      const tmp: number[] = [];
      if (this.mayHaveYear(year)) {
        for (let i = 0; i < this.size; i++) if (this.yearOf(i) === year) tmp.push(i);
      }
      list = Int32Array.from(tmp);
      this.byYear.set(year, list);
    }
    return list;
  }

  /** Indices 0..size-1 ordered by (release date, id), the order of the /discover routes. Built once. */
  releaseIndex(): ReleaseIndex {
    this.byRelease ??= ReleaseIndex.build(this.size, (i) => this.releaseDayOf(i));
    return this.byRelease;
  }

  /** The record at `index` (id = index + 1). `drift` turns `vote_count` into a string and adds `tagline`. */
  record(index: number, drift = false): MovieRecord {
    const r = new Rng(hashInts(this.seed, index, RECORD_SALT));
    const rare = index % NATIVE_EVERY === NATIVE_AT;
    const lang = rare ? r.pick(NATIVE_LANGUAGES) : r.pick(W.LANGUAGES);
    const title = makeTitle(r);
    const titles = rare ? W.NATIVE_TITLES[lang] : (W.LATIN_TITLES[lang] ?? W.ROMANISED_TITLES[lang]);
    const voteCount = Math.floor(r.next() * r.next() * 30000);
    const rec: MovieRecord = {
      adult: r.chance(0.02),
      backdrop_path: r.chance(0.05) ? null : imagePath(r),
      genre_ids: genres(r),
      id: index + 1,
      original_language: lang,
      original_title: titles ? r.pick(titles) : title,
      overview: makeOverview(r),
      popularity: fractional(Math.round((0.6 + r.next() ** 3 * 5000) * 1000) / 1000),
      poster_path: r.chance(0.05) ? null : imagePath(r),
      release_date: this.releaseDate(index, r),
      title,
      video: r.chance(0.05),
      vote_average: fractional(Math.round(r.next() * 9990) / 1000),
      vote_count: voteCount,
      updated_at: isoUtc(UPDATED_FROM_MS + Math.floor(r.next() * UPDATED_SPAN_MS)),
      production: {
        budget: r.chance(0.2) ? 0 : r.int(1, 300_000) * 1000,
        revenue: r.chance(0.2) ? 0 : r.int(1, 3_000_000) * 1000,
        countries: countries(r),
      },
      keywords: keywords(r),
    };
    if (drift) {
      rec.vote_count = String(voteCount);
      rec.tagline = `The ${r.pick(W.NOUNS).toLowerCase()} was only the beginning.`;
    }
    return rec;
  }

  /**
   * Release date of record `index`. Month and day are drawn even for an added record, which the scheme dates
   * instead, so that every field drawn after them is the same as without the scheme.
   */
  private releaseDate(index: number, r: Rng): string {
    const month = r.int(1, 12);
    const day = r.int(1, 28);
    if (this.isAdded(index)) return isoDay(this.addedDay(index));
    return `${this.yearOf(index)}-${pad2(month)}-${pad2(day)}`;
  }

  private releaseDayOf(index: number): number {
    return this.isAdded(index) ? this.addedDay(index) : parseIsoDay(this.record(index).release_date)!;
  }

  private isAdded(index: number): boolean {
    return this.added !== undefined && index >= this.added.baseIndex;
  }

  /** Day of an added record: the day after `afterDay`, then one day more every ADDED_PER_DAY records. */
  private addedDay(index: number): number {
    const { baseIndex, afterDay } = this.added!;
    return afterDay + 1 + Math.floor((index - baseIndex) / ADDED_PER_DAY);
  }

  /** False for years no record of the catalogue can have (their year slice is empty without a scan). */
  private mayHaveYear(year: number): boolean {
    if (year >= FIRST_YEAR && year <= LAST_YEAR) return true;
    if (!this.added || this.added.baseIndex >= this.size) return false;
    return year >= this.yearOf(this.added.baseIndex) && year <= this.yearOf(this.size - 1);
  }
}

/** `new Date(ms).toISOString()` for 1970..9999, several times faster. */
export function isoUtc(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  // civil-from-days (H. Hinnant)
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const min = Math.floor(rest / 60_000);
  rest -= min * 60_000;
  const sec = Math.floor(rest / 1000);
  const milli = rest - sec * 1000;
  const ms3 = milli < 10 ? `00${milli}` : milli < 100 ? `0${milli}` : String(milli);
  return `${y}-${pad2(m)}-${pad2(d)}T${pad2(h)}:${pad2(min)}:${pad2(sec)}.${ms3}Z`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Keeps a "double" field from serialising as an integer (12.000 -> 12.001). */
function fractional(v: number): number {
  return Number.isInteger(v) ? v + 0.001 : v;
}

function makeTitle(r: Rng): string {
  const adj = r.pick(W.ADJECTIVES);
  const noun = r.pick(W.NOUNS);
  switch (r.int(0, 3)) {
    case 0:
      return `The ${adj} ${noun}`;
    case 1:
      return `${noun} of the ${r.pick(W.NOUNS)}`;
    case 2:
      return `${adj} ${noun}: ${r.pick(W.ROMAN)}`;
    default:
      return `${adj} ${noun}`;
  }
}

/** 150..300 characters of sentences. */
function makeOverview(r: Rng): string {
  const target = r.int(150, 260);
  let s = '';
  while (s.length < target) {
    const sentence =
      r.next() < 0.7
        ? `${article(r.pick(W.ROLES))} ${r.pick(W.VERBS)} ${r.pick(W.OBJECTS)} in ${r.pick(W.PLACES)}.`
        : r.pick(W.CODAS);
    s = s ? `${s} ${sentence}` : sentence;
  }
  if (s.length > 300) s = `${s.slice(0, s.lastIndexOf(' ', 296))}...`;
  return s;
}

function article(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'An' : 'A'} ${noun}`;
}

/** "/" + 27 base62 characters + ".jpg", five characters per 32-bit draw. */
function imagePath(r: Rng): string {
  let s = '/';
  for (let k = 0; k < 6; k++) {
    let x = Math.floor(r.next() * 916_132_832) | 0; // 62^5 < 2^30: small-integer arithmetic
    for (let j = 0; j < (k < 5 ? 5 : 2); j++) {
      s += W.BASE62[x % 62];
      x = (x / 62) | 0;
    }
  }
  return `${s}.jpg`;
}

function genres(r: Rng): number[] {
  const n = r.int(1, 3);
  const out: number[] = [];
  while (out.length < n) {
    const g = r.pick(W.GENRE_IDS);
    if (!out.includes(g)) out.push(g);
  }
  return out;
}

function countries(r: Rng): string[] {
  const out: string[] = [r.chance(0.6) ? 'US' : r.pick(W.COUNTRIES)];
  if (r.chance(0.3)) {
    const c = r.pick(W.COUNTRIES);
    if (!out.includes(c)) out.push(c);
  }
  return out;
}

/** 0..5 distinct keywords; about 10% of records have a null element. */
function keywords(r: Rng): (string | null)[] {
  const n = r.int(0, 5);
  const out: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const k = r.pick(W.KEYWORDS);
    if (!out.includes(k)) out.push(k);
  }
  if (r.chance(0.1)) out.splice(r.int(0, out.length), 0, null);
  return out;
}
