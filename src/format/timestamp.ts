/**
 * ISO-8601 date-time strings <-> epoch microseconds.
 *
 * A string is a timestamp only if it has a date, a time and a zone (`Z` or an offset), names a real
 * instant, and fits microseconds exactly (fraction digits past the 6th must be zero), so converting it
 * never loses information. `2024-01-01` (no time) and `2024-01-01T10:00:00` (no zone) stay strings.
 */

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** An instant as whole epoch seconds and the microseconds past them (0..999,999); both exact numbers. */
export interface Instant {
  seconds: number;
  micros: number;
}

/**
 * Epoch microseconds of `YYYY-MM-DDTHH:MM[:SS[.fraction]](Z|±HH[[:]MM])`, or `undefined` if `s` is
 * not one.
 */
export function isoToMicros(s: string): bigint | undefined {
  const at: Instant = { seconds: 0, micros: 0 };
  return scanIso(s, at) ? BigInt(at.seconds) * 1_000_000n + BigInt(at.micros) : undefined;
}

/** Reused by `isIsoTimestamp`: inference asks about every string value, and needs no result. */
const scratch: Instant = { seconds: 0, micros: 0 };

/**
 * Scans an ISO-8601 date-time with zone (see `isoToMicros`) into `out` and returns true, or returns false
 * if `s` is not one. Hand-written and allocation-free: it runs on every string value during inference and
 * on every timestamp value a Parquet column writes.
 */
export function scanIso(s: string, out: Instant): boolean {
  const len = s.length;
  if (len < 17 || len > 35 || s.charCodeAt(4) !== 45 /* - */ || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 /* T */ ||
    s.charCodeAt(13) !== 58 /* : */) {
    return false;
  }
  const year = num(s, 0, 4);
  const month = num(s, 5, 2);
  const day = num(s, 8, 2);
  const hour = num(s, 11, 2);
  const minute = num(s, 14, 2);
  if ((year | month | day | hour | minute) < 0) return false;
  let i = 16;
  let second = 0;
  let micros = 0;
  if (s.charCodeAt(i) === 58 /* : */) {
    second = num(s, i + 1, 2);
    if (second < 0) return false;
    i += 3;
    if (s.charCodeAt(i) === 46 /* . */) {
      let n = 0;
      let digits = 0;
      for (i++; i < len && isDigit(s.charCodeAt(i)); i++, digits++) {
        if (digits < 6) n = n * 10 + (s.charCodeAt(i) - 48);
        else if (s.charCodeAt(i) !== 48) return false; // sub-microsecond digits would be lost
      }
      if (digits < 1 || digits > 9) return false;
      micros = n * 10 ** Math.max(0, 6 - digits);
    }
  }
  let offsetSeconds = 0;
  const z = s.charCodeAt(i);
  if (z === 90 /* Z */ && i + 1 === len) {
    // UTC
  } else if (z === 43 /* + */ || z === 45 /* - */) {
    const rest = len - i - 1; // HH, HHMM or HH:MM
    const oh = num(s, i + 1, 2);
    const om = rest === 2 ? 0 : rest === 4 ? num(s, i + 3, 2) : rest === 5 && s.charCodeAt(i + 3) === 58 ? num(s, i + 4, 2) : -1;
    if (oh < 0 || om < 0 || oh > 18 || om > 59) return false;
    offsetSeconds = (z === 45 ? -1 : 1) * (oh * 3600 + om * 60);
  } else {
    return false;
  }
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return false;
  if (month === 2 && day === 29 && !isLeap(year)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
  out.seconds = seconds;
  out.micros = micros;
  return true;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The decimal number in s[at, at+n), or -1 if any of those is not a digit. */
function num(s: string, at: number, n: number): number {
  let v = 0;
  for (let k = at; k < at + n; k++) {
    const c = s.charCodeAt(k);
    if (!(c >= 48 && c <= 57)) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

/** True if `s` is an ISO-8601 date-time with zone that fits microseconds (see `isoToMicros`). */
export function isIsoTimestamp(s: string): boolean {
  return scanIso(s, scratch);
}

/** Epoch microseconds of a Date (millisecond precision). Throws on an invalid Date. */
export function dateToMicros(d: Date): bigint {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('invalid Date');
  return BigInt(ms) * 1000n;
}

/** `2024-01-01T10:00:00.123000Z`: ISO-8601 in UTC with six fraction digits. */
export function dateToIsoMicros(d: Date): string {
  const iso = d.toISOString(); // throws RangeError on an invalid Date
  return `${iso.slice(0, -1)}000Z`;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
