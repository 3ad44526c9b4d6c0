/**
 * One error base class; every subclass carries a stable `code`. The CLI maps codes to exit codes
 * (see EXIT_CODES), so nothing else needs to know about process exits.
 *
 * | code                   | meaning                                                     | exit |
 * |------------------------|-------------------------------------------------------------|------|
 * | PF_ERR_CONFIG          | bad spec, flag or env value                                 | 2    |
 * | PF_ERR_UNAVAILABLE     | the API or the landing zone cannot be used at all           | 3    |
 * | PF_ERR_HTTP_STATUS     | the API answered with a non-retryable or exhausted status   | 1    |
 * | PF_ERR_RETRY_EXHAUSTED | every attempt failed                                        | 1    |
 * | PF_ERR_BODY            | the body was not JSON or had no record array at the path    | 1    |
 * | PF_ERR_PAGINATION      | a loop guard fired (repeated cursor, short read, ...)       | 1    |
 * | PF_ERR_CROSS_ORIGIN    | a next link pointed at an origin the spec does not allow    | 1    |
 * | PF_ERR_WRITE           | a data or ledger file could not be written                  | 1    |
 * | PF_ERR_INTERRUPTED     | SIGINT / SIGTERM                                            | 130  |
 */
export type ErrorCode =
  | 'PF_ERR_CONFIG'
  | 'PF_ERR_UNAVAILABLE'
  | 'PF_ERR_HTTP_STATUS'
  | 'PF_ERR_RETRY_EXHAUSTED'
  | 'PF_ERR_BODY'
  | 'PF_ERR_PAGINATION'
  | 'PF_ERR_CROSS_ORIGIN'
  | 'PF_ERR_WRITE'
  | 'PF_ERR_INTERRUPTED';

export const EXIT_CODES = {
  ok: 0,
  failedPages: 1,
  badInput: 2,
  unavailable: 3,
  interrupted: 130,
} as const;

export class PagefleetError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Bad spec, flag or environment value. `field` is the dotted spec path or flag name. */
export class ConfigError extends PagefleetError {
  readonly field: string;
  /** What was expected, without the field (the message is `field: expected`). */
  readonly expected: string;
  constructor(field: string, expected: string, options?: { cause?: unknown }) {
    super('PF_ERR_CONFIG', `${field}: ${expected}`, options);
    this.field = field;
    this.expected = expected;
  }

  /** The same complaint about another field (a value that reached the code under another name). */
  renamed(field: string): ConfigError {
    return new ConfigError(field, this.expected, { cause: this.cause });
  }
}

/** The API or the landing zone cannot be used at all; raised before any page is fetched. */
export class UnavailableError extends PagefleetError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PF_ERR_UNAVAILABLE', message, options);
  }
}

export class PaginationError extends PagefleetError {
  constructor(message: string) {
    super('PF_ERR_PAGINATION', message);
  }
}

export class BodyError extends PagefleetError {
  /** Set when the body breaks what a spec field asks for: that field and what it expected. */
  readonly spec?: { field: string; expected: string };
  constructor(message: string, options?: { cause?: unknown; spec?: { field: string; expected: string } }) {
    super('PF_ERR_BODY', message, options);
    this.spec = options?.spec;
  }

  /** A body that does not hold what spec `field` expects (the message is `field: expected`). */
  static against(field: string, expected: string): BodyError {
    return new BodyError(`${field}: ${expected}`, { spec: { field, expected } });
  }
}

export class CrossOriginError extends PagefleetError {
  constructor(message: string) {
    super('PF_ERR_CROSS_ORIGIN', message);
  }
}

export class WriteError extends PagefleetError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PF_ERR_WRITE', message, options);
  }
}

export class InterruptedError extends PagefleetError {
  constructor() {
    super('PF_ERR_INTERRUPTED', 'interrupted');
  }
}

export function exitCodeFor(err: unknown): number {
  if (!(err instanceof PagefleetError)) return EXIT_CODES.failedPages;
  switch (err.code) {
    case 'PF_ERR_CONFIG':
      return EXIT_CODES.badInput;
    case 'PF_ERR_UNAVAILABLE':
      return EXIT_CODES.unavailable;
    case 'PF_ERR_INTERRUPTED':
      return EXIT_CODES.interrupted;
    default:
      return EXIT_CODES.failedPages;
  }
}
