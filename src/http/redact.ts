import { DEFAULT_ONE_LINE_MAX, ECHO_MIN_CHARS, SECRET_PARAM_FRAGMENTS, SECRET_PARAM_NAMES } from './constants.js';
import { oneLine } from './one-line.js';
import { secretForms } from './secret-forms.js';

export const MASK = '***';

const normalize = (name: string) => name.toLowerCase().replace(/[-_]/g, '');

/** `?name=value` / `&name=value` / `;name=value` anywhere in a text. */
const QUERY_PARAM = /([?&;])([^=&#\s?;"'<>]+)=([^&#\s;"'<>]*)/g;
/** `Bearer abc…`, `Basic abc…`, `Token abc…` (credential schemes in quoted headers). */
const AUTH_SCHEME = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/** `scheme://user:password@host`. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@?#]+@/gi;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** One regex matching any of `texts`, longest first, so one pass replaces each occurrence once. */
export function alternation(texts: Iterable<string>): RegExp | undefined {
  const sorted = [...new Set(texts)].filter(Boolean).sort((a, b) => b.length - a.length);
  return sorted.length ? new RegExp(sorted.map(escapeRegExp).join('|'), 'g') : undefined;
}

/**
 * Removes secrets from any text or value before it is logged, raised, written or printed.
 * - every secret value (header values and `${ENV}` values used in them) in every spelling of
 *   secret-forms.ts (raw, JSON-escaped, percent-encoded …) becomes `***`, in one pass, so a mask never
 *   gets masked again; every non-empty value counts, however short, since secrecy beats readability;
 * - query parameters whose names look secret (token, api_key, apikey, access_token, key, secret,
 *   password, signature, client_secret, names containing token/secret/password/apikey/signature, plus
 *   `secretParamNames`) keep their name and lose their value;
 * - `Bearer …`/`Basic …` credentials and `user:password@` in URLs are masked too.
 * Structured data is redacted with `redactValue` BEFORE it is serialised: masking a short secret in a
 * JSON text could hit its keys or syntax.
 */
export class Redactor {
  private readonly any?: RegExp;
  private readonly echo?: RegExp;
  private readonly names: Set<string>;

  constructor(secretValues: Iterable<string>, secretParamNames: string[] = []) {
    const texts = [...new Set(secretValues)].filter(Boolean).flatMap((v) => secretForms(v).map((f) => f.text));
    this.any = alternation(texts);
    this.echo = alternation(texts.filter((t) => t.length >= ECHO_MIN_CHARS));
    this.names = new Set([...SECRET_PARAM_NAMES, ...secretParamNames].map(normalize));
  }

  /** True when a query parameter of this name has its value masked. */
  isSecretParam(name: string): boolean {
    const n = normalize(safeDecode(name));
    return this.names.has(n) || SECRET_PARAM_FRAGMENTS.some((f) => n.includes(f));
  }

  redact(text: string): string {
    let out = this.any ? text.replace(this.any, MASK) : text;
    out = out.replace(QUERY_PARAM, (m, sep: string, name: string, value: string) =>
      value && value !== MASK && this.isSecretParam(name) ? `${sep}${name}=${MASK}` : m,
    );
    out = out.replace(AUTH_SCHEME, `$1 ${MASK}`);
    return out.replace(URL_USERINFO, `$1${MASK}@`);
  }

  /**
   * A deep copy of `value` with every string redacted; object keys, numbers, booleans and null stay as
   * they are, so the JSON of the copy has the same structure as the JSON of the original.
   */
  redactValue<T>(value: T): T {
    return this.copy(value) as T;
  }

  private copy(v: unknown): unknown {
    if (typeof v === 'string') return this.redact(v);
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => this.copy(x));
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return this.copy(toJSON.call(v));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.copy(x)]));
  }

  /**
   * True when `text` holds any spelling of a secret at least ECHO_MIN_CHARS long (shorter ones occur
   * in ordinary text by chance). For the "the API echoed a secret into its records" warning.
   */
  echoes(text: string): boolean {
    if (!this.echo) return false;
    this.echo.lastIndex = 0;
    return this.echo.test(text);
  }

  /** One line, redacted, at most `max` characters. */
  oneLine(err: unknown, max = DEFAULT_ONE_LINE_MAX): string {
    return oneLine(err, (t) => this.redact(t), max);
  }

  /** Bound `redact`, to pass as HttpClientOptions.redact. */
  readonly fn = (text: string): string => this.redact(text);
}
