import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStore } from '../../test/memory-store.js';
import { ConfigError } from '../errors.js';
import { asJsonObject, readCreateOnceEntry, readJsonEntry } from './read-json-entry.js';

const positive = (json: unknown): number => {
  if (typeof json !== 'number' || json <= 0) throw new TypeError('not a positive number');
  return json;
};

describe('readJsonEntry', () => {
  it('parses an entry and hands it to the reader', async () => {
    const store = new MemoryStore();
    await store.put('a.json', '{"kind":"claim","n":[1,2]}');
    assert.deepEqual(await readJsonEntry(store, 'a.json'), { kind: 'claim', n: [1, 2] });
    await store.put('n.json', '7');
    assert.equal(await readJsonEntry(store, 'n.json', { parse: positive }), 7);
  });

  it('a missing entry is undefined', async () => {
    assert.equal(await readJsonEntry(new MemoryStore(), 'gone.json', { parse: positive }), undefined);
  });

  it('a corrupt entry is a ConfigError naming the file and what was expected', async () => {
    const store = new MemoryStore();
    await store.put('dir/bad.json', '{"torn');
    await store.put('dir/neg.json', '-1');
    for (const [key, reason] of [['dir/bad.json', /JSON/], ['dir/neg.json', /not a positive number/]] as const) {
      const err = await readJsonEntry(store, key, { parse: positive, expected: 'a count' }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof ConfigError, `${key}: ${String(err)}`);
      assert.equal(err.field, `memory://test/${key}`);
      assert.match(err.expected, /^expected a count \(/);
      assert.match(err.expected, reason);
      assert.doesNotMatch(err.message, /\n/);
    }
  });

  it('a long parser complaint is cut short', async () => {
    const store = new MemoryStore();
    await store.put('big.json', `{"x": ${'1'.repeat(1000)}`);
    const err = await readJsonEntry(store, 'big.json').then(() => undefined, (e: unknown) => e as ConfigError);
    assert.ok(err && err.message.length < 400, err?.message);
  });

  it('a tolerant reader gets its stand-in for a missing or corrupt entry', async () => {
    const store = new MemoryStore();
    await store.put('bad.json', 'not json');
    await store.put('neg.json', '0');
    const tolerate = (key: string) => -key.length;
    assert.equal(await readJsonEntry(store, 'gone.json', { parse: positive, tolerate }), -9);
    assert.equal(await readJsonEntry(store, 'bad.json', { parse: positive, tolerate }), -8);
    assert.equal(await readJsonEntry(store, 'neg.json', { parse: positive, tolerate }), -8);
    assert.equal(await readJsonEntry(store, 'bad.json', { tolerate: () => undefined }), undefined);
  });

  it('a store that cannot be read throws as the store does, tolerant or not', async () => {
    const store = new MemoryStore();
    store.get = async () => {
      throw new Error('connection refused');
    };
    await assert.rejects(readJsonEntry(store, 'a.json', { tolerate: () => 0 }), /connection refused/);
  });

  it('asJsonObject takes objects and refuses null, arrays and scalars (a tolerant reader gets its stand-in)', async () => {
    const store = new MemoryStore();
    await store.put('obj.json', '{"kind":"release"}');
    for (const [key, body] of [['null.json', 'null'], ['arr.json', '[1]'], ['num.json', '3'], ['str.json', '"x"']]) await store.put(key, body);
    assert.deepEqual(await readJsonEntry(store, 'obj.json', { parse: asJsonObject }), { kind: 'release' });
    for (const key of ['null.json', 'arr.json', 'num.json', 'str.json']) {
      assert.deepEqual(await readJsonEntry(store, key, { parse: asJsonObject, tolerate: () => ({ stand: 'in' }) }), { stand: 'in' }, key);
      await assert.rejects(readJsonEntry(store, key, { parse: asJsonObject }), /not a JSON object/);
    }
  });
});

describe('readCreateOnceEntry', () => {
  const tolerant = { parse: asJsonObject<{ kind: string }>, tolerate: () => ({ kind: 'unreadable' }) };
  /** A store that counts its reads. */
  const counting = () => {
    const store = new MemoryStore();
    const reads: string[] = [];
    const get = store.get.bind(store);
    store.get = (key: string) => (reads.push(key), get(key));
    return { store, reads };
  };

  it('reads an entry once per store, joining a read under way, and hands out one frozen object', async () => {
    const { store, reads } = counting();
    await store.put('rate/s0001-000001.json', '{"kind":"claim","at":{"s":"x"}}');
    const [a, b] = await Promise.all([readCreateOnceEntry(store, 'rate/s0001-000001.json', tolerant), readCreateOnceEntry(store, 'rate/s0001-000001.json', tolerant)]);
    const c = await readCreateOnceEntry(store, 'rate/s0001-000001.json', tolerant);
    assert.deepEqual(reads, ['rate/s0001-000001.json']);
    assert.equal(a, b);
    assert.equal(a, c);
    assert.ok(Object.isFrozen(a) && Object.isFrozen((a as unknown as { at: object }).at));
    // another store (another run, or a test's fresh one) reads for itself
    const other = counting();
    await other.store.put('rate/s0001-000001.json', '{"kind":"release"}');
    assert.deepEqual(await readCreateOnceEntry(other.store, 'rate/s0001-000001.json', tolerant), { kind: 'release' });
  });

  it('an entry missing or unusable is tolerated and read again next time', async () => {
    const { store, reads } = counting();
    assert.deepEqual(await readCreateOnceEntry(store, 'b/1.json', tolerant), { kind: 'unreadable' });
    await store.put('b/2.json', '{"torn');
    assert.deepEqual(await readCreateOnceEntry(store, 'b/2.json', tolerant), { kind: 'unreadable' });
    await store.put('b/1.json', '{"kind":"claim"}');
    await store.delete('b/2.json');
    await store.put('b/2.json', '{"kind":"commit"}');
    assert.deepEqual(await readCreateOnceEntry(store, 'b/1.json', tolerant), { kind: 'claim' });
    assert.deepEqual(await readCreateOnceEntry(store, 'b/2.json', tolerant), { kind: 'commit' });
    assert.deepEqual(reads, ['b/1.json', 'b/2.json', 'b/1.json', 'b/2.json']);
  });
});
