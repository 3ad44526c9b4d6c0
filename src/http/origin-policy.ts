import { ALWAYS_CREDENTIAL_HEADERS } from './constants.js';
import { HttpError } from './http-error.js';

export interface OriginPolicyOptions {
  origin: string;
  allowedOrigins: string[];
  credentialHeaders: string[];
  redact: (text: string) => string;
}

/** Origin of an http(s) URL string, or undefined when it has none we can use. */
export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Credentials go only to the job's origin (docs/design.md, "Credentials stay on the job's origin").
 * - same origin: headers are sent as given;
 * - an allowed other origin: credential headers (the spec's, plus Authorization, Cookie and
 *   Proxy-Authorization always) are removed, case-insensitively;
 * - any other origin: an HttpError PF_ERR_CROSS_ORIGIN is thrown and nothing is sent.
 */
export class OriginPolicy {
  readonly origin: string;
  private readonly allowed: Set<string>;
  private readonly stripped: Set<string>;
  private readonly redact: (text: string) => string;

  constructor(opts: OriginPolicyOptions) {
    this.origin = new URL(opts.origin).origin;
    this.allowed = new Set(opts.allowedOrigins.map((o) => new URL(o).origin));
    this.stripped = new Set([...ALWAYS_CREDENTIAL_HEADERS, ...opts.credentialHeaders.map((h) => h.toLowerCase())]);
    this.redact = opts.redact;
  }

  /** The headers to send to `url`, or throws when its origin is not allowed. */
  headersFor(url: URL, headers: Record<string, string>): Record<string, string> {
    if (url.origin === this.origin) return { ...headers };
    if (!this.allowed.has(url.origin)) {
      const redactedUrl = this.redact(url.href);
      throw new HttpError({
        errorClass: 'CROSS_ORIGIN',
        message: this.redact(
          `refused to fetch ${redactedUrl}: origin ${url.origin} is not the job's origin ${this.origin} ` +
            `and is not in the spec's allowed origins`,
        ),
        url: redactedUrl,
        attempts: 0,
        totalRetryDelayMs: 0,
      });
    }
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (!this.stripped.has(name.toLowerCase())) out[name] = value;
    }
    return out;
  }
}
