import { DEFAULT_ONE_LINE_MAX, SECRET_PARAM_FRAGMENTS, SECRET_PARAM_NAMES } from './constants.js';
import { oneLine } from './one-line.js';

export const MASK = '***';

const normalize = (name: string) => name.toLowerCase().replace(/[-_]/g, '');

/** `?name=value` / `&name=value` / `;name=value` anywhere in a text. */
const QUERY_PARAM = /([?&;])([^=&#\s?;"'<>]+)=([^&#\s;"'<>]*)/g;
/** `Bearer abc…`, `Basic abc…`, `Token abc…` (credential schemes in quoted headers). */
const AUTH_SCHEME = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/** `scheme://user:password@host`. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@?#]+@/gi;

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/**
 * Removes secrets from any text before it is logged, raised, written to the ledger or a summary.
 * - every secret value (header values and `${ENV}` values used in them), also URL-encoded, becomes `***`;
 *   every non-empty value counts, however short, since readability matters less than secrecy;
 * - query parameters whose names look secret (token, api_key, apikey, access_token, key, secret,
 *   password, signature, client_secret, names containing token/secret/password/apikey/signature, plus
 *   `secretParamNames`) keep their name and lose their value;
 * - `Bearer …`/`Basic …` credentials and `user:password@` in URLs are masked too.
 */
export class Redactor {
  private readonly values: string[];
  private readonly names: Set<string>;

  constructor(secretValues: string[], secretParamNames: string[] = []) {
    const forms = new Set<string>();
    for (const v of secretValues) {
      if (!v) continue;
      forms.add(v);
      forms.add(encodeURIComponent(v));
      forms.add(encodeURIComponent(v).replace(/%20/g, '+'));
      forms.add(new URLSearchParams({ v }).toString().slice(2));
    }
    this.values = [...forms].sort((a, b) => b.length - a.length);
    this.names = new Set([...SECRET_PARAM_NAMES, ...secretParamNames].map(normalize));
  }

  /** True when a query parameter of this name has its value masked. */
  isSecretParam(name: string): boolean {
    const n = normalize(safeDecode(name));
    return this.names.has(n) || SECRET_PARAM_FRAGMENTS.some((f) => n.includes(f));
  }

  redact(text: string): string {
    let out = text;
    for (const v of this.values) out = out.split(v).join(MASK);
    out = out.replace(QUERY_PARAM, (m, sep: string, name: string, value: string) =>
      value && value !== MASK && this.isSecretParam(name) ? `${sep}${name}=${MASK}` : m,
    );
    out = out.replace(AUTH_SCHEME, `$1 ${MASK}`);
    return out.replace(URL_USERINFO, `$1${MASK}@`);
  }

  /** One line, redacted, at most `max` characters. */
  oneLine(err: unknown, max = DEFAULT_ONE_LINE_MAX): string {
    return oneLine(err, (t) => this.redact(t), max);
  }

  /** Bound `redact`, to pass as HttpClientOptions.redact. */
  readonly fn = (text: string): string => this.redact(text);
}
