import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pageInput, testBuilder } from '../../test/memory-sink.js';
import { MemoryStore } from '../../test/memory-store.js';
import type { Format } from '../format/types.js';
import { countRecords } from './verify.js';

const prov = (page: number) => ({ runId: 'r', page, fetchedAt: new Date('2024-01-01T00:00:00Z') });

async function landed(store: MemoryStore, format: Format, pages: number, perPage: number): Promise<string> {
  const b = testBuilder(format);
  for (let p = 1; p <= pages; p++) {
    b.add(pageInput(Array.from({ length: perPage }, (_, i) => ({ id: p * 1000 + i, text: 'x'.repeat(200) })), prov(p)));
    await b.flush();
  }
  const key = `d/${format}/f${pages}`;
  await store.put(key, (await b.finish()).bytes);
  return key;
}

describe('countRecords', () => {
  it('counts a Parquet file from its footer and an NDJSON file from its lines', async () => {
    const store = new MemoryStore();
    assert.equal(await countRecords(store, await landed(store, 'parquet', 40, 500), 'parquet'), 20_000);
    assert.equal(await countRecords(store, await landed(store, 'ndjson', 40, 500), 'ndjson'), 20_000);
    assert.equal(await countRecords(store, await landed(store, 'parquet', 0, 0), 'parquet'), 0);
  });

  it('is undefined for a missing file and for bytes that are not the format', async () => {
    const store = new MemoryStore();
    await store.put('d/bad', 'not a data file at all');
    for (const f of ['parquet', 'ndjson'] as const) {
      assert.equal(await countRecords(store, 'd/none', f), undefined);
      assert.equal(await countRecords(store, 'd/bad', f), undefined);
    }
  });
});
