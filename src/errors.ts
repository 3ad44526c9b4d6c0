import { EXIT_CODES, FAILURES, type ErrorCode, type Failure } from './failure.js';

/**
 * One error base class. Each error names its failure (src/failure.ts, docs/design.md "Failure table"),
 * which gives its stable `code` and the process's exit code (exitCodeFor), so nothing else needs to know
 * about process exits.
 */
export class PagefleetError extends Error {
  readonly failure: Failure;
  readonly code: ErrorCode;
  constructor(failure: Failure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.failure = failure;
    this.code = FAILURES[failure].code;
    this.name = new.target.name;
  }
}

/** Bad spec, flag or environment value. `field` is the dotted spec path or flag name. */
export class ConfigError extends PagefleetError {
  readonly field: string;
  /** What was expected, without the field (the message is `field: expected`). */
  readonly expected: string;
  constructor(field: string, expected: string, options?: { cause?: unknown }) {
    super('CONFIG', `${field}: ${expected}`, options);
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
    super('UNAVAILABLE', message, options);
  }
}

export class PaginationError extends PagefleetError {
  constructor(message: string) {
    super('PAGINATION', message);
  }
}

/** A JSON body without what a spec field asks for (the record array at source.records). */
export class BodyError extends PagefleetError {
  /** Set when the body breaks what a spec field asks for: that field and what it expected. */
  readonly spec?: { field: string; expected: string };
  constructor(message: string, options?: { cause?: unknown; spec?: { field: string; expected: string } }) {
    super('RECORDS', message, options);
    this.spec = options?.spec;
  }

  /** A body that does not hold what spec `field` expects (the message is `field: expected`). */
  static against(field: string, expected: string): BodyError {
    return new BodyError(`${field}: ${expected}`, { spec: { field, expected } });
  }
}

export class WriteError extends PagefleetError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('WRITE', message, options);
  }
}

/** The failure an error stands for: a PagefleetError's own, else `otherwise`. */
export function failureOf(err: unknown, otherwise: Failure): Failure {
  return err instanceof PagefleetError ? err.failure : otherwise;
}

/** The exit code of an error that ends the process; one that is not pagefleet's exits 1. */
export function exitCodeFor(err: unknown): number {
  return err instanceof PagefleetError ? FAILURES[err.failure].exitCode : EXIT_CODES.failedPages;
}
