/**
 * ISO-8601 date-time strings <-> epoch microseconds.
 *
 * A string is a timestamp only if it has a date, a time and a zone (`Z` or an offset), names a real
 * instant, and fits microseconds exactly (fraction digits past the 6th must be zero), so converting it
 * never loses information. `2024-01-01` (no time) and `2024-01-01T10:00:00` (no zone) stay strings.
 */

const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Epoch microseconds of an ISO-8601 date-time with zone, or `undefined` if `s` is not one. */
export function isoToMicros(s: string): bigint | undefined {
  // Cheapest rejections first: most strings are not timestamps.
  if (s.length < 17 || s.length > 35 || s.charCodeAt(4) !== 45 /* - */ || s.charCodeAt(10) !== 84 /* T */) {
    return undefined;
  }
  const m = ISO_DATETIME.exec(s);
  if (!m) return undefined;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = +m[4];
  const minute = +m[5];
  const second = m[6] === undefined ? 0 : +m[6];
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return undefined;
  if (month === 2 && day === 29 && !isLeap(year)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let micros = 0;
  if (m[7] !== undefined) {
    const frac = m[7].padEnd(9, '0');
    if (frac.slice(6) !== '000') return undefined; // sub-microsecond digits would be lost
    micros = +frac.slice(0, 6);
  }
  let offsetSeconds = 0;
  if (m[8] === undefined) {
    const oh = +m[10];
    const om = m[11] === undefined ? 0 : +m[11];
    if (oh > 18 || om > 59) return undefined;
    offsetSeconds = (m[9] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
  return BigInt(seconds) * 1_000_000n + BigInt(micros);
}

/** True if `s` is an ISO-8601 date-time with zone that fits microseconds (see `isoToMicros`). */
export function isIsoTimestamp(s: string): boolean {
  return isoToMicros(s) !== undefined;
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
