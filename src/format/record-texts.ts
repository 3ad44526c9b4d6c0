/**
 * The API's own JSON text of each record of a page, found by scanning the body text for the spans of the
 * elements of the record list (`source.records`). NDJSON lines are made of these texts, so a record is
 * written as the API sent it and not serialised again: JSON.stringify was a sixth of an NDJSON executor's
 * CPU (bench/RESULTS.md, "Record texts").
 *
 * The scan only finds boundaries: it runs on text that JSON.parse has already accepted, so it does not
 * validate. Anything it does not expect gives `undefined`, and the caller serialises the parsed records; so
 * does a record whose text would not read back as its parsed value reads (see `texts`).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

export interface RecordTexts {
  /**
   * Each element's text, exactly as in the body (it may hold line breaks between tokens); undefined for one
   * that holds a number written with a fraction or exponent whose value is an integer (`12.0`, `1e3`):
   * JSON.parse makes it 12, schema inference a long, and Spark reads `12.0` in a long column as null.
   */
  texts: (string | undefined)[];
  /**
   * Members each element's text holds when it is an object, counted in the text (-1 for other values): a
   * record whose parsed object has fewer had a key twice, and JSON.parse kept only the last.
   */
  members: number[];
}

/**
 * The texts of the elements of the array at `path` (dot-separated keys, '' for the top level, as
 * `extractRecords` reads it; of a key given twice, the last counts, as in JSON.parse). Undefined when the
 * path does not lead to an array through objects only.
 */
export function recordTexts(text: string, path: string): RecordTexts | undefined {
  const found = textsAt(text, skipSpace(text, 0), path === '' ? [] : path.split('.'));
  return found.end < 0 ? undefined : found.texts;
}

/**
 * The texts of the array that `keys` lead to from the value at `at`, and the index just past that value
 * (-1 if the text is not what the scan expects). The path is followed in the same pass that steps over
 * the other members, so the record list, most of the body, is scanned once.
 */
function textsAt(text: string, at: number, keys: readonly string[]): { texts?: RecordTexts; end: number } {
  if (keys.length === 0) return elementTexts(text, at);
  let texts: RecordTexts | undefined;
  const end = eachMember(text, at, (keyAt, keyEnd, valueAt) => {
    if (keyOf(text, keyAt, keyEnd) !== keys[0]) return skipValue(text, valueAt);
    const found = textsAt(text, valueAt, keys.slice(1));
    texts = found.texts; // of a key given twice the last counts, as in JSON.parse
    return found.end;
  });
  return { texts, end };
}

/** The texts of the elements of the array at `at` (none if it is not an array), and the index just past it. */
function elementTexts(text: string, at: number): { texts?: RecordTexts; end: number } {
  if (text.charCodeAt(at) !== OPEN_BRACKET) return { end: skipValue(text, at) };
  const texts: (string | undefined)[] = [];
  const members: number[] = [];
  at = skipSpace(text, at + 1);
  if (text.charCodeAt(at) === CLOSE_BRACKET) return { texts: { texts, members }, end: at + 1 };
  for (;;) {
    numbers.integralFloat = false;
    const isObject = text.charCodeAt(at) === OPEN_BRACE;
    const end = isObject ? skipObject(text, at, members) : skipValue(text, at);
    if (end < 0) return { end: -1 };
    if (!isObject) members.push(-1);
    texts.push(numbers.integralFloat ? undefined : text.slice(at, end));
    at = skipSpace(text, end);
    const c = text.charCodeAt(at);
    if (c === CLOSE_BRACKET) return { texts: { texts, members }, end: at + 1 };
    if (c !== COMMA) return { end: -1 };
    at = skipSpace(text, at + 1);
  }
}

/**
 * The object at `at`, its members counted into `members`: the index just past it, or -1. One pass over the
 * text (`skipNested`, counting the colons at its own depth), not a walk member by member: this scan runs on
 * every record of an NDJSON page.
 */
function skipObject(text: string, at: number, members: number[]): number {
  const end = skipNested(text, at);
  if (end >= 0) members.push(scan.colons);
  return end;
}

/**
 * Walks the members of the object at `at` (an opening brace), calling `member` with where each key starts
 * and ends and where its value starts; `member` returns the index just past the value (or -1). Returns the
 * index just past the object, or -1.
 */
function eachMember(text: string, at: number, member: (keyAt: number, keyEnd: number, valueAt: number) => number): number {
  if (text.charCodeAt(at) !== OPEN_BRACE) return -1;
  at = skipSpace(text, at + 1);
  if (text.charCodeAt(at) === CLOSE_BRACE) return at + 1;
  for (;;) {
    const keyEnd = skipString(text, at);
    if (keyEnd < 0) return -1;
    const colon = skipSpace(text, keyEnd);
    if (text.charCodeAt(colon) !== COLON) return -1;
    const valueAt = skipSpace(text, colon + 1);
    const end = member(at, keyEnd, valueAt);
    if (end < 0) return -1;
    at = skipSpace(text, end);
    const c = text.charCodeAt(at);
    if (c === CLOSE_BRACE) return at + 1;
    if (c !== COMMA) return -1;
    at = skipSpace(text, at + 1);
  }
}

/** A member name as JSON.parse reads it (escapes undone only when there are any). */
function keyOf(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end - 1);
  return raw.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : raw;
}

/** The index just past the value starting at `at`, or -1. */
function skipValue(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (c === QUOTE) return skipString(text, at);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) return skipNested(text, at);
  if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) return skipNumber(text, at);
  // true, false or null: up to the next delimiter
  let i = at;
  while (i < text.length) {
    const d = text.charCodeAt(i);
    if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || d <= 0x20) break;
    i++;
  }
  return i > at ? i : -1;
}

/**
 * The object or array at `at`: the index just past it, or -1. Counts the colons at its own depth (outside
 * strings) into `scan.colons`: for an object, its members.
 */
function skipNested(text: string, at: number): number {
  let depth = 0;
  let colons = 0;
  for (let i = at; i < text.length; i++) {
    const d = text.charCodeAt(i);
    if (d === QUOTE) {
      i = skipString(text, i) - 1;
      if (i < 0) return -1;
    } else if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
    else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
      if (--depth === 0) {
        scan.colons = colons;
        return i + 1;
      }
    } else if (d === COLON) {
      if (depth === 1) colons++;
    } else if (d === MINUS || (d >= DIGIT_0 && d <= DIGIT_9)) i = skipNumber(text, i) - 1;
  }
  return -1;
}

/** What the scan of the current record found (the scan is synchronous: one record at a time). */
const scan = { colons: 0 };
const numbers = { integralFloat: false };

/** The index just past the number starting at `at`; notes one written with a fraction or exponent that is an integer. */
function skipNumber(text: string, at: number): number {
  let i = at;
  let fractionOrExponent = false;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= DIGIT_0 && c <= DIGIT_9) || c === MINUS || c === PLUS) continue;
    if (c === DOT || c === LOWER_E || c === UPPER_E) fractionOrExponent = true;
    else break;
  }
  if (fractionOrExponent && Number.isInteger(Number(text.slice(at, i)))) numbers.integralFloat = true;
  return i;
}

/** The index just past the string starting at `at` (a quote), or -1. */
function skipString(text: string, at: number): number {
  if (text.charCodeAt(at) !== QUOTE) return -1;
  let from = at + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** The index of the first character at or after `at` that is not JSON whitespace. */
function skipSpace(text: string, at: number): number {
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    at++;
  }
  return at;
}
