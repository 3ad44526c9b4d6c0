import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { CursorStyle, JobSpec, LinkStyle, OffsetStyle, PageStyle, S3Settings } from './types.js';

/** Compile-time checks of the derived spec types: this file fails `tsc` if the derivation drifts. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expect = <T extends true>(): T => true as T;

// what a schema default fills is always there; what the schema leaves optional may be left out
expect<Equal<JobSpec['limits']['rate'], number>>();
expect<Equal<JobSpec['limits']['attemptDeadlineMs'], number>>();
expect<Equal<JobSpec['output']['formats'], ('parquet' | 'ndjson')[]>>();
expect<Equal<PageStyle['param'], string>>();
expect<Equal<PageStyle['linkLast'], boolean>>();
expect<{} extends Pick<PageStyle, 'end' | 'totalPages' | 'size'> ? true : false>();
expect<{} extends Pick<OffsetStyle, 'limit'> ? false : true>();
expect<{} extends Pick<CursorStyle, 'limit' | 'limitParam'> ? true : false>();
expect<{} extends Pick<LinkStyle, 'next' | 'header'> ? true : false>();
expect<{} extends Pick<S3Settings, 'endpoint' | 'region'> ? true : false>();
expect<Equal<S3Settings['partSizeBytes'], number>>();
expect<{} extends Pick<JobSpec, 'slices'> ? true : false>();
expect<Equal<JobSpec['pagination']['style'], 'page' | 'offset' | 'cursor' | 'link'>>();

it('the spec types compile', () => assert.ok(true));
