import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractRecords } from '../pagination/body.js';
import { ndjsonLine, ndjsonLineOf, provenanceTail } from './ndjson-line.js';
import { recordTexts } from './record-texts.js';

const tail = provenanceTail({ runId: 'r1', page: 7, fetchedAt: new Date('2026-01-02T03:04:05.678Z') });
const PROV = { _pf_run_id: 'r1', _pf_page: 7, _pf_fetched_at: '2026-01-02T03:04:05.678000Z' };

/** Texts of the records at `path`, checked against what JSON.parse and extractRecords make of the body. */
function textsChecked(body: string, path: string) {
  const found = recordTexts(body, path);
  assert.ok(found, `records found at "${path}"`);
  const records = extractRecords(JSON.parse(body), path);
  assert.equal(found.texts.length, records.length);
  found.texts.forEach((t, i) => t === undefined || assert.deepEqual(JSON.parse(t), records[i], `record ${i}: ${t}`));
  return found;
}

describe('recordTexts', () => {
  it('finds each record as it is in the body, with its member count', () => {
    const body = '{"total_pages": 3, "results": [{"a":1,"b":"x\\"y}"}, {"c":[1,{"d":"}]"}]}, {} ,{"e":"\\\\"}], "page": 1}';
    const found = textsChecked(body, 'results');
    assert.deepEqual(found.texts, ['{"a":1,"b":"x\\"y}"}', '{"c":[1,{"d":"}]"}]}', '{}', '{"e":"\\\\"}']);
    assert.deepEqual(found.members, [2, 1, 0, 1]);
  });

  it('follows a dotted path through pretty-printed objects; the last of a key given twice counts, as in JSON.parse', () => {
    const body = JSON.stringify({ data: { items: [{ x: 1 }], meta: 'm' }, other: [] }, null, 2);
    assert.deepEqual(textsChecked(body, 'data.items').texts, ['{\n        "x": 1\n      }']);
    const twice = '{"results": [{"old": true}], "n": 1, "results": [{"new": 1}, {"new": 2}]}';
    assert.deepEqual(textsChecked(twice, 'results').texts, ['{"new": 1}', '{"new": 2}']);
    assert.deepEqual(textsChecked('{"res\\u0075lts": [{"a": 1}]}', 'results').texts, ['{"a": 1}'], 'an escaped key');
  });

  it('reads a top-level list, and counts -1 members for records that are not objects', () => {
    const found = textsChecked(' [1, "two", null, [3], {"k": false}, -2.5e-3 ] ', '');
    assert.deepEqual(found.texts, ['1', '"two"', 'null', '[3]', '{"k": false}', '-2.5e-3']);
    assert.deepEqual(found.members, [-1, -1, -1, -1, 1, -1]);
    assert.deepEqual(textsChecked('{"results": []}', 'results').texts, []);
  });

  it('gives no text for a record holding a number written as a fraction or exponent that is an integer, wherever it is', () => {
    // JSON.parse makes 12.0 the integer 12 (a long column), and Spark reads 12.0 in a long column as null
    const body = '{"results": [{"a": 12.0}, {"g": [1, {"x": 2E1}]}, {"n": -0.0}, {"p": 12.5, "q": 1.5e-3, "t": true, "f": false}, {"i": 12}]}';
    const found = textsChecked(body, 'results');
    assert.deepEqual(found.texts, [undefined, undefined, undefined, '{"p": 12.5, "q": 1.5e-3, "t": true, "f": false}', '{"i": 12}']);
    assert.deepEqual(textsChecked('[3.0, 3.5]', '').texts, [undefined, '3.5']);
  });

  it('is undefined when the path does not lead to a list through objects', () => {
    assert.equal(recordTexts('{"results": {"a": 1}}', 'results'), undefined);
    assert.equal(recordTexts('{"data": [{"items": [1]}]}', 'data.0.items'), undefined, 'through a list (the caller serialises instead)');
    assert.equal(recordTexts('{"other": []}', 'results'), undefined);
    assert.equal(recordTexts('[{"a": 1}]', 'results'), undefined);
  });

  it('of a key given twice on the path, the last counts (as in JSON.parse), at any depth', () => {
    assert.deepEqual(recordTexts('{"results": [{"a": 1}], "n": 2, "results": [{"b": 2}, 3]}', 'results')?.texts, ['{"b": 2}', '3']);
    assert.equal(recordTexts('{"results": [{"a": 1}], "results": 5}', 'results'), undefined, 'the last is not a list');
    assert.deepEqual(recordTexts('{"d": {"r": [1]}, "x": [], "d": {"r": [2], "r": [{"c": [3]}]}}', 'd.r')?.texts, ['{"c": [3]}']);
    assert.equal(recordTexts('{"d": {"r": [1]}, "d": {"s": [2]}}', 'd.r'), undefined, 'the last d has no r');
  });

  it('agrees with JSON.parse on random bodies in every layout (every text given: JSON.stringify writes no 12.0)', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pieces = ['a', '"', '\\', '}', ']', '{', '[', ',', ':', ' ', '\n', 'é', '💡', '\u2028', '\\"'];
    const str = () => Array.from({ length: Math.floor(rand() * 8) }, () => pieces[Math.floor(rand() * pieces.length)]).join('');
    const value = (depth: number): unknown => {
      const k = Math.floor(rand() * (depth > 2 ? 5 : 7));
      if (k === 0) return null;
      if (k === 1) return rand() < 0.5;
      if (k === 2) return Math.round(rand() * 1e6) / 100 - 5000;
      if (k === 3 || k === 4) return str();
      if (k === 5) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rand() * 4) }, () => [str(), value(depth + 1)]));
    };
    for (let n = 0; n < 300; n++) {
      const records = Array.from({ length: Math.floor(rand() * 6) }, () => (rand() < 0.8 ? value(2) : value(0)));
      const body = JSON.stringify({ [str()]: value(1), results: records, page: n }, null, [0, 2, '\t'][n % 3]);
      assert.ok(textsChecked(body, 'results').texts.every((t) => t !== undefined));
    }
  });
});

describe('ndjsonLineOf', () => {
  it("writes the record's own text with the provenance appended, its line breaks made spaces", () => {
    const text = '{\n  "a" : 1.50,\r\n  "b": "\\u00e9"\n}';
    const line = ndjsonLineOf(JSON.parse(text), text, 2, tail);
    assert.equal(line, '{   "a" : 1.50,    "b": "\\u00e9" ' + tail);
    assert.deepEqual(JSON.parse(line), { a: 1.5, b: 'é', ...PROV });
    assert.equal(ndjsonLineOf({}, '{ }', 0, tail), `{${tail.slice(1)}`);
  });

  it('serialises the parsed record when its text would say something else, or is missing', () => {
    const twice = '{"a": 1, "a": 2}';
    assert.equal(ndjsonLineOf(JSON.parse(twice), twice, 2, tail), ndjsonLine({ a: 2 }, tail), 'a key given twice: JSON.parse kept the last');
    const named = '{"a": 1, "_pf_page": 99}';
    assert.deepEqual(JSON.parse(ndjsonLineOf(JSON.parse(named), named, 2, tail)), { a: 1, ...PROV }, 'a provenance-named field is replaced');
    assert.equal(ndjsonLineOf([1, 2], '[1, 2]', -1, tail), ndjsonLine([1, 2], tail), 'not an object');
    assert.equal(ndjsonLineOf({ a: 1 }, undefined, undefined, tail), ndjsonLine({ a: 1 }, tail));
  });
});
