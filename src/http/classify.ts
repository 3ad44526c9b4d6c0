import { FAILURES, type Failure } from '../failure.js';

/**
 * What the client does with one attempt's outcome. Pure data in, decision out; the client (one place)
 * acts on it. The action follows from the failure's row in FAILURES (src/failure.ts):
 * - success: hand the response to the caller.
 * - retry: a retryable failure; wait (Retry-After if given, else backoff), then try again while attempts remain.
 * - rateLimited: THROTTLING; as retry, and also tell the rate governor to slow down.
 * - fail: a failure that is not retryable; stop now.
 */
export type Action = 'success' | 'retry' | 'rateLimited' | 'fail';

export interface Decision {
  action: Action;
  /** Absent only when action is 'success'. */
  errorClass?: Failure;
  /** Short human reason, safe to log (no URLs, no bodies). */
  reason: string;
}

/** How a status is classified: its failure (none for a success) and a short reason. */
interface StatusRule {
  failure?: Failure;
  reason: string;
  /** Replaces the rule when the response carries Retry-After (a 503 asking us to come back later). */
  withRetryAfter?: StatusRule;
}

/** The decision for a failure (or a success when there is none), read from FAILURES. */
export function decide(failure: Failure | undefined, reason: string): Decision {
  if (failure === undefined) return { action: 'success', reason };
  const action = !FAILURES[failure].retryable ? 'fail' : failure === 'THROTTLING' ? 'rateLimited' : 'retry';
  return { action, errorClass: failure, reason };
}

const server = (reason: string): StatusRule => ({ failure: 'SERVER_ERROR', reason });

/** Exact status codes; checked before STATUS_RANGES. */
export const STATUS_RULES: Readonly<Record<number, StatusRule>> = {
  408: { failure: 'TIMEOUT', reason: 'request timeout (408)' },
  429: { failure: 'THROTTLING', reason: 'too many requests (429)' },
  500: server('internal server error (500)'),
  // the server does not support the request: another attempt gets the same answer
  501: { failure: 'CLIENT_ERROR', reason: 'not implemented (501)' },
  502: server('bad gateway (502)'),
  503: { ...server('service unavailable (503)'), withRetryAfter: { failure: 'THROTTLING', reason: 'service unavailable (503) with Retry-After' } },
  504: server('gateway timeout (504)'),
  505: { failure: 'CLIENT_ERROR', reason: 'HTTP version not supported (505)' },
};

/** Fallback by range, inclusive bounds, first match wins. */
export const STATUS_RANGES: readonly (readonly [number, number, StatusRule])[] = [
  [200, 299, { reason: 'ok' }],
  [300, 399, { failure: 'CLIENT_ERROR', reason: 'redirect not followed (credentials never follow a redirect)' }],
  [400, 499, { failure: 'CLIENT_ERROR', reason: 'client error' }],
  [500, 599, server('server error')],
];

/** Connect, headers or body took too long, or the whole attempt passed its deadline (deadline.ts). */
export const TIMEOUT_ERROR_CODES: readonly string[] = [
  'PF_DEADLINE_EXCEEDED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
];

/** The connection broke or the body arrived cut short. */
export const TRANSIENT_ERROR_CODES: readonly string[] = [
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
  /** A compressed body that ends early (body.ts, and zlib's own code). */
  'PF_BODY_TRUNCATED',
  'Z_BUF_ERROR',
];

/** Messages that mean the same as TRANSIENT_ERROR_CODES when an error has no useful code. */
export const TRANSIENT_MESSAGE_PATTERNS: readonly RegExp[] = [
  /premature close/i,
  /other side closed/i,
  /socket hang up/i,
  /unexpected end of file/i,
  /content-length mismatch/i,
];

/** A 2xx whose body is not a JSON document (codes of body.ts, plus corrupt compression). */
export const BAD_BODY_ERROR_CODES: readonly string[] = ['PF_BODY_NOT_JSON', 'PF_BODY_ENCODING', 'Z_DATA_ERROR'];

/** Body problems that another attempt cannot fix. */
export const FATAL_BODY_ERROR_CODES: readonly string[] = ['PF_BODY_TOO_LARGE'];

const MAX_CAUSE_DEPTH = 8;

/** Maps an HTTP status (and whether Retry-After was sent) to a decision. */
export function classifyStatus(status: number, hasRetryAfter = false): Decision {
  const rule = STATUS_RULES[status] ?? STATUS_RANGES.find(([lo, hi]) => status >= lo && status <= hi)?.[2];
  if (!rule) return decide('CLIENT_ERROR', `unexpected status (${status})`);
  const chosen = hasRetryAfter && rule.withRetryAfter ? rule.withRetryAfter : rule;
  return decide(chosen.failure, chosen.reason);
}

/** The error and its `cause` chain, outermost first (cycles and depth guarded). */
export function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  let cur: unknown = err;
  while (cur !== undefined && cur !== null && chain.length < MAX_CAUSE_DEPTH && !chain.includes(cur)) {
    chain.push(cur);
    cur = (cur as { cause?: unknown }).cause;
  }
  return chain;
}

function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(e: unknown): string {
  const message = (e as { message?: unknown })?.message;
  return typeof message === 'string' ? message : '';
}

function anyInChain(err: unknown, test: (e: unknown) => boolean): boolean {
  return causeChain(err).some(test);
}

const hasCode = (codes: readonly string[]) => (e: unknown) => {
  const code = codeOf(e);
  return code !== undefined && codes.includes(code);
};

export function isTimeoutError(err: unknown): boolean {
  return anyInChain(err, hasCode(TIMEOUT_ERROR_CODES));
}

export function isTransientError(err: unknown): boolean {
  return anyInChain(
    err,
    (e) =>
      hasCode(TRANSIENT_ERROR_CODES)(e) ||
      (codeOf(e)?.startsWith('HPE_') ?? false) ||
      TRANSIENT_MESSAGE_PATTERNS.some((p) => p.test(messageOf(e))),
  );
}

export function isBadBodyError(err: unknown): boolean {
  return anyInChain(err, hasCode(BAD_BODY_ERROR_CODES));
}

export function isFatalBodyError(err: unknown): boolean {
  return anyInChain(err, hasCode(FATAL_BODY_ERROR_CODES));
}

/**
 * Maps a thrown error (network, timeout, body) to a decision, looking through `error.cause`.
 * Order matters: a fatal body problem beats everything, then timeouts, then bad bodies, then transient.
 * An error we do not recognise (TLS certificate, DNS name not found, invalid argument) fails at once.
 */
export function classifyError(err: unknown): Decision {
  if (isFatalBodyError(err)) return decide('TOO_LARGE', 'body larger than the limit');
  if (isTimeoutError(err)) return decide('TIMEOUT', 'timeout');
  if (isBadBodyError(err)) return decide('BAD_BODY', 'body is not JSON');
  if (isTransientError(err)) return decide('TRANSIENT', 'connection failed or body cut short');
  return decide('CLIENT_ERROR', 'request could not be made (not retried)');
}
