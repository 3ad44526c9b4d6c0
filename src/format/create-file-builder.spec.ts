import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemorySink } from '../../test/memory-sink.js';
import { loadFileBuilders } from './create-file-builder.js';
import type { Format } from './types.js';

describe('loadFileBuilders', () => {
  it('makes a fresh builder per format', async () => {
    const create = await loadFileBuilders(['parquet', 'ndjson']);
    const p = create('parquet', new MemorySink());
    const n = create('ndjson', new MemorySink());
    assert.deepEqual([p.format, p.extension, p.records, p.approxBytes], ['parquet', '.parquet', 0, 0]);
    assert.deepEqual([n.format, n.extension, n.records, n.approxBytes], ['ndjson', '.ndjson.gz', 0, 0]);
    assert.notEqual(create('parquet', new MemorySink()), p);
  });
  it('loads the Parquet encoder only for a job that writes Parquet', async () => {
    const create = await loadFileBuilders(['ndjson']);
    assert.equal(create('ndjson', new MemorySink()).format, 'ndjson');
    assert.throws(() => create('parquet', new MemorySink()), /parquet was not among the formats/);
  });
  it('rejects an unknown format', async () => {
    const create = await loadFileBuilders(['ndjson']);
    assert.throws(() => create('csv' as Format, new MemorySink()), /unknown format "csv"/);
  });
});
