import { PagefleetError } from '../errors.js';
import type { Failure } from '../failure.js';

/**
 * Its code follows from its failure (src/failure.ts): PF_ERR_RETRY_EXHAUSTED for a retryable one (every
 * attempt failed), PF_ERR_HTTP_STATUS for CLIENT_ERROR, PF_ERR_BODY for TOO_LARGE, PF_ERR_CROSS_ORIGIN.
 */
export interface HttpErrorFields {
  /** One line, already redacted. */
  message: string;
  errorClass: Failure;
  /** Redacted URL. */
  url: string;
  /** Attempts made (0 when nothing was sent). */
  attempts: number;
  /** Sum of the waits between attempts (ms), not counting rate-governor waits. */
  totalRetryDelayMs: number;
  /** Status of the last response, if the last attempt got one. */
  statusCode?: number;
  /** Server-requested wait of the last response (ms, clamped), if any. */
  retryAfterMs?: number;
  /** The last attempt's error; network errors as thrown by undici, body errors with redacted messages. */
  cause?: unknown;
}

/** The one error the HTTP client throws (besides the caller's own abort reason). */
export class HttpError extends PagefleetError {
  readonly url: string;
  readonly attempts: number;
  readonly totalRetryDelayMs: number;
  readonly statusCode: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(f: HttpErrorFields) {
    super(f.errorClass, f.message, f.cause === undefined ? undefined : { cause: f.cause });
    this.url = f.url;
    this.attempts = f.attempts;
    this.totalRetryDelayMs = f.totalRetryDelayMs;
    this.statusCode = f.statusCode;
    this.retryAfterMs = f.retryAfterMs;
  }
}
