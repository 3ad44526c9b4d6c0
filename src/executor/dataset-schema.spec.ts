import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStore } from '../../test/memory-store.js';
import { ConfigError } from '../errors.js';
import { inferSchema } from '../format/schema.js';
import { Layout } from '../landing/layout.js';
import { DatasetSchema } from './dataset-schema.js';

const layout = new Layout('movies', 'r1', '2026-01-01');

/** The column names and Spark types of a schema file as written. */
function columns(store: MemoryStore, key: string): Record<string, unknown> {
  const json = JSON.parse(store.objects.get(key)!) as { fields: { name: string; type: unknown }[] };
  return Object.fromEntries(json.fields.map((f) => [f.name, f.type]));
}

describe('DatasetSchema', () => {
  it('seed writes the discovery page schema with the provenance columns', async () => {
    const store = new MemoryStore();
    await new DatasetSchema(store, layout).seed(inferSchema([{ id: 1, title: 'a' }]));
    assert.deepEqual(columns(store, layout.schema), { id: 'long', title: 'string', _pf_run_id: 'string', _pf_page: 'long', _pf_fetched_at: 'timestamp' });
  });

  it('seed merges with an existing schema.json, never narrowing it', async () => {
    const store = new MemoryStore();
    await new DatasetSchema(store, layout).seed(inferSchema([{ id: 1, old: true }]));
    const later = new DatasetSchema(store, new Layout('movies', 'r2', '2026-01-02'));
    await later.seed(inferSchema([{ id: 1.5 }]));
    const cols = columns(store, layout.schema);
    assert.equal(cols.old, 'boolean', 'a column of an earlier run stays');
    assert.equal(cols.id, 'double', 'long and double widen to double');
    assert.equal(later.current?.fields.some((f) => f.name === 'old'), true, 'current is what was written');
  });

  it('observe keeps the executor schema and merges every executor into schema.json', async () => {
    const store = new MemoryStore();
    const a = new DatasetSchema(store, layout);
    const b = new DatasetSchema(store, layout);
    await a.load();
    await b.load();
    await a.observe(inferSchema([{ id: 1 }]), 0);
    await b.observe(inferSchema([{ id: 2, rating: 4.5 }]), 1);
    assert.deepEqual(columns(store, layout.executorSchema(0)), { id: 'long' });
    assert.deepEqual(columns(store, layout.executorSchema(1)), { id: 'long', rating: 'double' });
    // executor 0 rewrites schema.json without ever having seen `rating`: it is kept
    await a.observe(inferSchema([{ id: 3, genre: 'x' }]), 0);
    assert.deepEqual(columns(store, layout.schema), { id: 'long', rating: 'double', genre: 'string' });
  });

  it('observe writes nothing when the file adds nothing', async () => {
    const store = new MemoryStore();
    const s = new DatasetSchema(store, layout);
    await s.observe(inferSchema([{ id: 1 }]), 0);
    const puts = store.puts.length;
    await s.observe(inferSchema([{ id: 2 }]), 0);
    assert.equal(store.puts.length, puts);
  });

  it('load gives the schema on disk, or none', async () => {
    const store = new MemoryStore();
    const s = new DatasetSchema(store, layout);
    await s.load();
    assert.equal(s.current, undefined);
    await s.seed(inferSchema([{ id: 1 }]));
    const fresh = new DatasetSchema(store, layout);
    await fresh.load();
    assert.deepEqual(fresh.current, s.current);
  });

  it('a schema file that is not a Spark schema is an error naming it, and nothing is written', async () => {
    for (const bad of ['{"type":"stru', '{"type":"struct","fields":[{"name":"x","type":"decimal(3,1)"}]}']) {
      const store = new MemoryStore();
      await store.put(layout.schema, bad);
      const puts = store.puts.length;
      const s = new DatasetSchema(store, layout);
      for (const act of [() => s.load(), () => s.seed(inferSchema([{ id: 1 }])), () => s.observe(inferSchema([{ id: 1 }]), 0)]) {
        const err = await act().then(() => undefined, (e: unknown) => e);
        assert.ok(err instanceof ConfigError, String(err));
        assert.equal(err.field, `memory://test/${layout.schema}`);
        assert.match(err.expected, /Spark schema/);
      }
      assert.deepEqual(store.puts.slice(puts).filter((k) => k === layout.schema), [], 'schema.json is left as it was');
    }
  });
});
