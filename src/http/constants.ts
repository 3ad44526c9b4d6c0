/**
 * Constants of the HTTP layer. A job's limits (retries, timeouts, Retry-After cap, ...) have their
 * defaults in the spec schema (src/spec/schema.ts), written there once; the client's own fallbacks
 * for an option left out (body limit, deadline) are here, and the schema reads them.
 */

/** Backoff base (milliseconds): the first retry waits a random time in [0, minDelayMs). */
export const DEFAULT_MIN_DELAY_MS = 250;

/** Backoff cap (milliseconds): no jittered backoff wait is longer than this. */
export const DEFAULT_MAX_DELAY_MS = 30_000;

/** How long an idle keep-alive socket is kept open when the server gives no hint (milliseconds). */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 10_000;

/**
 * Total time one attempt may take (milliseconds): connect, headers and the whole body. The body timeout
 * above is an idle gap, so a server that drips a byte now and then would otherwise hold a request forever.
 */
export const DEFAULT_ATTEMPT_DEADLINE_MS = 120_000;

/** Largest response body, compressed or decoded, we buffer for one page (bytes): 64 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Largest part of a non-2xx body we read to quote in an error message (bytes). */
export const ERROR_BODY_SNIPPET_BYTES = 2048;

/** Default length of a one-line error message (characters). */
export const DEFAULT_ONE_LINE_MAX = 300;

/** Encodings we advertise in Accept-Encoding and decode ourselves. */
export const ACCEPT_ENCODING = 'gzip, br';

/** Default User-Agent header value. */
export const DEFAULT_USER_AGENT = 'pagefleet/0.1';

/** Headers that carry credentials and are never sent to an origin other than the job's (lower-case). */
export const ALWAYS_CREDENTIAL_HEADERS: readonly string[] = ['authorization', 'cookie', 'proxy-authorization'];

/** Query-parameter names whose values are redacted in URLs (compared lower-case, `-`/`_` ignored). */
export const SECRET_PARAM_NAMES: readonly string[] = [
  'token',
  'api_key',
  'apikey',
  'access_token',
  'key',
  'secret',
  'password',
  'signature',
  'client_secret',
];

/**
 * Spellings of a secret shorter than this (characters) do not count as the API echoing it into records:
 * `ab` or `x` occur in ordinary data by chance.
 */
export const ECHO_MIN_CHARS = 4;

/** Substrings that make a query-parameter name look secret (e.g. `refresh_token`, `x-api-key`). */
export const SECRET_PARAM_FRAGMENTS: readonly string[] = ['token', 'secret', 'password', 'passwd', 'apikey', 'signature'];

/** AIMD: factor the governor's current rate is multiplied by on a 429 (dimensionless). */
export const THROTTLE_DECREASE_FACTOR = 0.5;

/** AIMD: fraction of the share added back to the current rate per success (dimensionless). */
export const SUCCESS_INCREASE_FRACTION = 1 / 20;

/** Default floor of the adaptive rate as a fraction of the share (dimensionless). */
export const MIN_RATE_FRACTION = 1 / 16;

/** Default token-bucket burst (requests). See RateGovernor for why it is 1. */
export const DEFAULT_BURST = 1;
