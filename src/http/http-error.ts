import { PagefleetError } from '../errors.js';
import type { ErrorClass } from './types.js';

/**
 * Codes an HttpError carries:
 *
 * | code                   | when                                                                      |
 * |------------------------|---------------------------------------------------------------------------|
 * | PF_ERR_HTTP_STATUS     | a status retrying cannot help (404, 401, a 3xx redirect, 501) failed at once |
 * | PF_ERR_RETRY_EXHAUSTED | every attempt failed with a retryable class, or a network error we do not retry |
 * | PF_ERR_BODY            | a body retrying cannot fix (larger than maxBodyBytes: TOO_LARGE)          |
 * | PF_ERR_CROSS_ORIGIN    | the URL's origin is neither the job's nor allowed; nothing was sent       |
 */
export type HttpErrorCode = 'PF_ERR_HTTP_STATUS' | 'PF_ERR_RETRY_EXHAUSTED' | 'PF_ERR_BODY' | 'PF_ERR_CROSS_ORIGIN';

export interface HttpErrorFields {
  code: HttpErrorCode;
  /** One line, already redacted. */
  message: string;
  errorClass: ErrorClass;
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
  declare readonly code: HttpErrorCode;
  readonly errorClass: ErrorClass;
  readonly url: string;
  readonly attempts: number;
  readonly totalRetryDelayMs: number;
  readonly statusCode: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(f: HttpErrorFields) {
    super(f.code, f.message, f.cause === undefined ? undefined : { cause: f.cause });
    this.errorClass = f.errorClass;
    this.url = f.url;
    this.attempts = f.attempts;
    this.totalRetryDelayMs = f.totalRetryDelayMs;
    this.statusCode = f.statusCode;
    this.retryAfterMs = f.retryAfterMs;
  }
}
