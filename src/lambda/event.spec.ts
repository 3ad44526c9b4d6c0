import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../errors.js';
import { parseEvent } from './event.js';

test('an event becomes the run id, the index, the count and the overrides the CLI would get', () => {
  const parsed = parseEvent({
    job: { dataset: 'movies' },
    run_id: ' tmdb 2026 ',
    executor_index: '1',
    executors: 2,
    overrides: { formats: ['parquet', 'ndjson'], rate: 40, file_target: '8MiB', end: '500' },
  });
  assert.deepEqual(parsed, {
    job: { dataset: 'movies' },
    runId: 'tmdb-2026',
    index: 1,
    executors: 2,
    overrides: { formats: 'parquet,ndjson', rate: '40', fileTarget: '8MiB', end: '500' },
  });
  assert.deepEqual(parseEvent({ job: 'job.yaml', run_id: 'r', executor_index: 0, executors: 1, overrides: null }).overrides, {});
});

test('a bad field is one line naming it, with what was expected', () => {
  const good = { job: 'job.yaml', run_id: 'r', executor_index: 0, executors: 2 };
  const cases: [unknown, string][] = [
    [{ ...good, executors: 'two' }, 'executors: expected number, got "two"'],
    [{ ...good, executors: 0 }, 'executors: expected at least 1, got 0'],
    [{ ...good, executor_index: 2 }, 'executor_index: expected an index in 0..1, got 2'],
    [{ ...good, job: ' ' }, 'job: expected a spec file path or a spec object'],
    [{ ...good, overrides: { rote: 5 } }, 'overrides.rote: unknown field'],
    [{ ...good, run_id: '_x' }, 'run_id: expected 1-200 characters, not starting with . or _'],
  ];
  for (const [event, line] of cases) assert.throws(() => parseEvent(event), (e: unknown) => e instanceof ConfigError && e.message === line);
});
