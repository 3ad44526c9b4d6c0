/**
 * Every spelling a secret value may take in text we write or print: raw, JSON-escaped, percent-encoded
 * the ways URL encoders disagree on, and JSON-escaped percent forms. Each form has a stable name, so a
 * sealed placeholder can say which encoder to apply to the current value on unseal (src/http/seal.ts).
 */
export interface SecretForm {
  /** Stable name, `[a-z0-9.-]+`, e.g. `form-upper-plus` or `json-slash.uri-upper-p20`. */
  name: string;
  /** The value spelled this way. */
  text: string;
}

type Encoder = (value: string) => string;

/**
 * Percent-encoders by the ASCII characters they leave alone; every other UTF-8 byte becomes `%XX`.
 * `query` is what the WHATWG URL parser does to a query (`new URL(...)` keeps `%`, `/`, `+` …).
 */
const PERCENT_KEEPS: Record<string, RegExp> = {
  form: /[A-Za-z0-9*\-._]/, // URLSearchParams, application/x-www-form-urlencoded (`~` encoded)
  component: /[A-Za-z0-9\-_.!~*'()]/, // encodeURIComponent
  strict: /[A-Za-z0-9\-_.~]/, // RFC 3986 unreserved: also `!'()*` encoded
  uri: /[A-Za-z0-9;,/?:@&=+$\-_.!~*'()#]/, // encodeURI
  query: /[\x21\x24-\x26\x28-\x3b\x3d\x3f-\x7e]/, // WHATWG special-query percent-encode set
  all: /(?!)/, // every byte
};

/** JSON string escapers, each as a known encoder writes strings (without the quotes). */
const JSON_ESCAPES: Record<string, Encoder> = {
  json: (v) => JSON.stringify(v).slice(1, -1), // JSON.stringify, serde_json, Jackson
  'json-slash': (v) => escapeSlash(JSON.stringify(v).slice(1, -1)), // `\/` (json_encode, some Java)
  'json-ascii': (v) => escapeNonAscii(JSON.stringify(v).slice(1, -1), 'lower'), // Python json.dumps
  'json-ascii-upper': (v) => escapeNonAscii(JSON.stringify(v).slice(1, -1), 'upper'),
  'json-ascii-slash': (v) => escapeSlash(escapeNonAscii(JSON.stringify(v).slice(1, -1), 'lower')), // PHP json_encode
  'json-html': (v) => JSON.stringify(v).slice(1, -1).replace(/[<>&\u2028\u2029]/g, (c) => unicodeEscape(c, 'lower')), // Go
};

const escapeSlash = (s: string) => s.replace(/\//g, '\\/');
const unicodeEscape = (c: string, hex: 'lower' | 'upper') => {
  const code = c.charCodeAt(0).toString(16).padStart(4, '0');
  return `\\u${hex === 'upper' ? code.toUpperCase() : code}`;
};
/** Every UTF-16 code unit outside printable ASCII as `\uXXXX` (surrogate pairs stay pairs, as Python does). */
const escapeNonAscii = (s: string, hex: 'lower' | 'upper') => s.replace(/[^\x20-\x7e]/g, (c) => unicodeEscape(c, hex));

function percentEncode(value: string, keeps: RegExp, hex: 'upper' | 'lower', space: 'plus' | 'p20'): string {
  let out = '';
  for (const ch of value) {
    if (ch === ' ' && space === 'plus') out += '+';
    else if (ch.length === 1 && keeps.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).padStart(2, '0')}`;
  }
  return hex === 'upper' ? out.replace(/%[0-9a-f]{2}/g, (m) => m.toUpperCase()) : out;
}

/** Percent forms in order of preference: the first is how pagefleet itself writes query values. */
const PERCENT_FORMS: [name: string, encode: Encoder][] = Object.entries(PERCENT_KEEPS).flatMap(([set, keeps]) =>
  (['upper', 'lower'] as const).flatMap((hex) =>
    (['plus', 'p20'] as const).map((space): [string, Encoder] => [`${set}-${hex}-${space}`, (v) => percentEncode(v, keeps, hex, space)]),
  ),
);

/**
 * Every form, in order of preference when two give the same text: URL forms first (sealed texts are
 * URLs, and URLSearchParams is how pagefleet sets a query value), then raw, then JSON and JSON-of-URL.
 */
export const SECRET_ENCODERS: ReadonlyMap<string, Encoder> = new Map<string, Encoder>([
  ...PERCENT_FORMS,
  ['raw', (v) => v],
  ...Object.entries(JSON_ESCAPES),
  ...Object.entries(JSON_ESCAPES).flatMap(([j, json]) =>
    PERCENT_FORMS.map(([p, pct]): [string, Encoder] => [`${j}.${p}`, (v) => json(pct(v))]),
  ),
]);

/** The distinct spellings of `value`, each named after the first encoder (in preference order) that gives it. */
export function secretForms(value: string): SecretForm[] {
  const seen = new Map<string, string>();
  for (const [name, encode] of SECRET_ENCODERS) {
    const text = encode(value);
    if (text && !seen.has(text)) seen.set(text, name);
  }
  return [...seen].map(([text, name]) => ({ name, text }));
}
