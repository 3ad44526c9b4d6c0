import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Failure } from '../failure.js';
import type { computeDelay } from './backoff.js';
import type { HttpClient } from './client.js';
import type { HttpError } from './http-error.js';
import type { RateGovernor, shareOf } from './rate-governor.js';
import type { Redactor } from './redact.js';
import type { AttemptReport, HttpRequest, HttpResponse, RateGovernorLike } from './types.js';

/** Compile-time checks of the public API: this file fails `tsc` if a signature drifts. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expect = <T extends true>(): T => true as T;

expect<Equal<Parameters<HttpClient['getJson']>[0], HttpRequest>>();
expect<Equal<ReturnType<HttpClient['getJson']>, Promise<HttpResponse>>>();
expect<Equal<ReturnType<HttpClient['close']>, Promise<void>>>();
expect<
  Equal<NonNullable<Parameters<HttpClient['getJson']>[1]>, { signal?: AbortSignal; onAttempt?: (r: AttemptReport) => void }>
>();
expect<RateGovernor extends RateGovernorLike ? true : false>();
expect<Equal<RateGovernor['currentRate'], number>>();
expect<Equal<RateGovernor['pausedUntil'], number>>();
expect<Equal<typeof shareOf, (jobRate: number, executors: number) => number>>();
expect<Equal<ReturnType<typeof computeDelay>, number>>();
expect<Equal<Redactor['redact'], (text: string) => string>>();
expect<Equal<HttpError['failure'], Failure>>();
expect<Equal<HttpError['statusCode'], number | undefined>>();
expect<Equal<NonNullable<AttemptReport['errorClass']>, Failure>>();

it('public API types compile', () => assert.ok(true));
