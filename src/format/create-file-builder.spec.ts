import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemorySink, pageInput } from '../../test/memory-sink.js';
import { createFileBuilder } from './create-file-builder.js';
import type { Format } from './types.js';

describe('createFileBuilder', () => {
  it('makes a fresh builder per format', () => {
    const p = createFileBuilder('parquet', new MemorySink());
    const n = createFileBuilder('ndjson', new MemorySink());
    assert.deepEqual([p.format, p.extension, p.records, p.approxBytes], ['parquet', '.parquet', 0, 0]);
    assert.deepEqual([n.format, n.extension, n.records, n.approxBytes], ['ndjson', '.ndjson.gz', 0, 0]);
    assert.notEqual(createFileBuilder('parquet', new MemorySink()), p);
  });
  it('rejects an unknown format', () => {
    assert.throws(() => createFileBuilder('csv' as Format, new MemorySink()), /unknown format "csv"/);
  });
});
