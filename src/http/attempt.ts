import type { Dispatcher } from 'undici';
import type { Clock } from '../clock.js';
import { readErrorSnippet, readJsonBody } from './body.js';
import { classifyError, classifyStatus, type Decision } from './classify.js';
import { ERROR_BODY_SNIPPET_BYTES } from './constants.js';
import { AttemptSignal } from './deadline.js';
import { oneLine } from './one-line.js';
import { hasRetryAfter, retryAfterMs } from './retry-after.js';

export interface AttemptContext {
  clock: Clock;
  maxRetryAfterMs: number;
  maxBodyBytes: number;
  /** Total time of the attempt: connect, headers and the whole body (ms). */
  deadlineMs: number;
  redact: (text: string) => string;
  /** The caller's signal: its abort rejects the attempt with its reason. */
  signal?: AbortSignal;
}

export type AttemptOutcome =
  | { ok: true; status: number; headers: Record<string, string>; body: unknown; bytes: number; text: string }
  | {
      ok: false;
      decision: Decision;
      /** Redacted, one line. */
      error: string;
      status?: number;
      retryAfterMs?: number;
      cause?: unknown;
    };

/** Lower-case names, multiple values joined with ", ". */
function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** A failure as an outcome; the caller's abort is rethrown, a passed deadline stands for whatever it broke. */
function failed(err: unknown, ctx: AttemptContext, attempt: AttemptSignal): AttemptOutcome {
  if (ctx.signal?.aborted) throw ctx.signal.reason;
  const cause = attempt.expired ?? err;
  return { ok: false, decision: classifyError(cause), error: oneLine(cause, ctx.redact), cause };
}

/**
 * One GET: send, read the whole body into memory (so a retry never follows a partly consumed body),
 * classify, all within `ctx.deadlineMs`. Never throws except the caller's abort reason; every other
 * failure, a passed deadline included (TIMEOUT), is an outcome.
 */
export async function runAttempt(
  dispatcher: Dispatcher,
  url: URL,
  headers: Record<string, string>,
  ctx: AttemptContext,
): Promise<AttemptOutcome> {
  const attempt = new AttemptSignal(ctx.deadlineMs, ctx.signal);
  try {
    return await attemptWithin(dispatcher, url, headers, ctx, attempt);
  } finally {
    attempt.dispose();
  }
}

async function attemptWithin(
  dispatcher: Dispatcher,
  url: URL,
  headers: Record<string, string>,
  ctx: AttemptContext,
  attempt: AttemptSignal,
): Promise<AttemptOutcome> {
  let res: Dispatcher.ResponseData;
  try {
    res = await dispatcher.request({ origin: url.origin, path: url.pathname + url.search, method: 'GET', headers, signal: attempt.signal });
  } catch (err) {
    return failed(err, ctx, attempt);
  }
  const status = res.statusCode;
  const resHeaders = flattenHeaders(res.headers);
  const nowMs = ctx.clock.now();
  const decision = classifyStatus(status, hasRetryAfter(resHeaders, nowMs));
  if (decision.action === 'success') {
    try {
      const { body, bytes, text } = await readJsonBody(res.body, resHeaders, ctx);
      return { ok: true, status, headers: resHeaders, body, bytes, text };
    } catch (err) {
      return { ...failed(err, ctx, attempt), status } as AttemptOutcome;
    }
  }
  const waitMs =
    decision.action === 'fail'
      ? undefined
      : retryAfterMs(resHeaders, { nowMs, maxRetryAfterMs: ctx.maxRetryAfterMs, useResetHeaders: decision.errorClass === 'THROTTLING' });
  const quote = await readErrorSnippet(res.body, resHeaders, ERROR_BODY_SNIPPET_BYTES, ctx.redact);
  if (ctx.signal?.aborted) throw ctx.signal.reason;
  const location = status >= 300 && status < 400 && resHeaders.location ? ` (location: ${ctx.redact(resHeaders.location)})` : '';
  // every part from the API is redacted already (the quote before it was cut, the location above)
  const error = oneLine(`HTTP ${status}: ${decision.reason}${location}${quote ? `: ${quote}` : ''}`);
  return { ok: false, decision, error, status, ...(waitMs === undefined ? {} : { retryAfterMs: waitMs }) };
}
