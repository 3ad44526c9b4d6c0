import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SECRET_ENCODERS, secretForms } from './secret-forms.js';

const texts = (v: string) => secretForms(v).map((f) => f.text);
const SPECIAL = `a~b(c)d!e'f g/h+i%j"k\\l`;

describe('secretForms', () => {
  it('holds the spellings of the usual encoders, upper and lower hex, + and %20', () => {
    const t = texts(SPECIAL);
    const expected = [
      SPECIAL,
      encodeURIComponent(SPECIAL),
      encodeURIComponent(SPECIAL).toLowerCase().replace(/%20/g, '+'),
      new URLSearchParams({ v: SPECIAL }).toString().slice(2),
      new URLSearchParams({ v: SPECIAL }).toString().slice(2).replace(/\+/g, '%20'),
      encodeURI(SPECIAL),
      encodeURIComponent(SPECIAL).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
      new URL(`http://h/?v=${SPECIAL}`).search.slice(3),
      JSON.stringify(SPECIAL).slice(1, -1),
      JSON.stringify(SPECIAL).slice(1, -1).replace(/\//g, '\\/'),
      JSON.stringify(encodeURI(SPECIAL)).slice(1, -1),
      [...Buffer.from(SPECIAL)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
    ];
    for (const e of expected) assert.ok(t.includes(e), `missing ${e}`);
  });

  it('escapes non-ASCII for JSON as Python ensure_ascii and PHP do, and Go escapes <>&', () => {
    const t = texts('päss/€😀<&>');
    assert.ok(t.includes('p\\u00e4ss/\\u20ac\\ud83d\\ude00<&>'), 'json.dumps(ensure_ascii=True)');
    assert.ok(t.includes('p\\u00E4ss/\\u20AC\\uD83D\\uDE00<&>'), 'upper hex');
    assert.ok(t.includes('p\\u00e4ss\\/\\u20ac\\ud83d\\ude00<&>'), 'PHP json_encode');
    assert.ok(t.includes('päss/€😀\\u003c\\u0026\\u003e'), 'Go encoding/json');
    assert.ok(t.includes(encodeURIComponent('päss/€😀<&>')), 'UTF-8 percent bytes');
  });

  it('has no duplicate texts and names each after the first encoder that gives it', () => {
    const forms = secretForms(SPECIAL);
    assert.equal(new Set(forms.map((f) => f.text)).size, forms.length);
    for (const f of forms) assert.equal(SECRET_ENCODERS.get(f.name)!(SPECIAL), f.text);
    assert.deepEqual(texts('abc'), ['abc', '%61%62%63'], 'a plain value: itself and every byte encoded');
    assert.equal(secretForms('abc')[0].name, 'form-upper-plus');
    assert.equal(secretForms(SPECIAL)[0].text, new URLSearchParams({ v: SPECIAL }).toString().slice(2), 'URLSearchParams first');
  });

  it('names are placeholder-safe and an empty value has no forms', () => {
    for (const name of SECRET_ENCODERS.keys()) assert.match(name, /^[a-z0-9.-]+$/);
    assert.deepEqual(secretForms(''), []);
  });
});
