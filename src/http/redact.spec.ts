import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redactor } from './redact.js';

const SECRET = 'sk live/ab+c=d&9';

describe('Redactor', () => {
  const r = new Redactor([SECRET, ''], ['X-Custom-Sig']);

  it('replaces secret values and their URL-encoded forms', () => {
    assert.equal(r.redact(`Bearer-less value ${SECRET} here`), 'Bearer-less value *** here');
    assert.equal(r.redact(`q=${encodeURIComponent(SECRET)}`), 'q=***');
    assert.equal(r.redact(`q=${new URLSearchParams({ a: SECRET }).toString().slice(2)}`), 'q=***');
    assert.equal(r.redact(`${SECRET}${SECRET}`), '******');
  });

  it('masks query params with secret-looking names, keeping the others', () => {
    const url = 'https://api.example.com/3/movie?page=2&api_key=abc123&Token=t0k&x-api-key=k&refresh_token=r&key=k2&language=en';
    assert.equal(
      r.redact(url),
      'https://api.example.com/3/movie?page=2&api_key=***&Token=***&x-api-key=***&refresh_token=***&key=***&language=en',
    );
    assert.equal(r.redact('see /x?signature=s1;password=p2 now'), 'see /x?signature=***;password=*** now');
    assert.equal(r.redact('/x?x_custom_sig=zz&monkey=ok'), '/x?x_custom_sig=***&monkey=ok');
    assert.equal(r.redact('/x?client_secret=&a=1'), '/x?client_secret=&a=1');
  });

  it('masks credential schemes and URL user-info', () => {
    assert.equal(r.redact('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x.y'), 'Authorization: Bearer ***');
    assert.equal(r.redact('GET https://bob:hunter2@api.example.com/x'), 'GET https://***@api.example.com/x');
  });

  it('leaves harmless text alone', () => {
    const s = 'HTTP 500: internal server error (500) for https://api.example.com/x?page=3';
    assert.equal(r.redact(s), s);
  });

  it('oneLine: single line, redacted before truncation, with causes', () => {
    const err = new Error(`boom\n  at ${SECRET}\n`, { cause: Object.assign(new Error('socket'), { code: 'ECONNRESET' }) });
    const line = r.oneLine(err);
    assert.equal(line, 'boom at *** (cause: ECONNRESET: socket)');
    const long = r.oneLine(new Error(`${'x'.repeat(295)}${SECRET}`), 300);
    assert.ok(!long.includes('sk live'), 'a secret is never cut into a prefix');
    assert.equal(r.oneLine(new Error('y'.repeat(500)), 50).length, 50);
    assert.ok(r.oneLine(new Error('y'.repeat(500)), 50).endsWith('…'));
    assert.equal(r.oneLine('plain string'), 'plain string');
    assert.equal(r.oneLine({ a: SECRET }), '{"a":"***"}');
  });

  it('replaces JSON-escaped, lower-hex, strict and encodeURI spellings too', () => {
    const special = `a~b(c)d!e'f g/h+i%j"k\\l`;
    const s = new Redactor([special]);
    for (const spelled of [
      JSON.stringify({ v: special }),
      JSON.stringify({ v: special }).replace(/\//g, '\\/'),
      encodeURIComponent(special).toLowerCase(),
      encodeURI(special),
      encodeURIComponent(special).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
      JSON.stringify({ u: `https://x.test/?k=${encodeURI(special)}` }),
    ]) {
      const out = s.redact(spelled);
      assert.ok(!out.includes('h+i') && !out.includes('%2Fh') && !out.includes('%2fh') && !out.includes('\\/h'), out);
      assert.ok(out.includes('***'), out);
    }
    assert.equal(new Redactor(['päss']).redact(JSON.stringify('päss').replace('ä', '\\u00e4')), '"***"', 'Python ensure_ascii');
  });

  it('masks in one pass: a mask is never masked again', () => {
    assert.equal(new Redactor(['*']).redact('a*b%2Ac'), 'a***b***c');
    assert.equal(new Redactor(['**', '*']).redact('x***y'), 'x******y');
  });

  it('redactValue: a deep copy with strings redacted, keys and numbers kept', () => {
    const x = new Redactor(['x']);
    const entry = { executor: 1, text: 'max', nested: [{ 'x-key': 'xx', n: 10, ok: true, none: null }], at: new Date(0) };
    const copy = x.redactValue(entry);
    assert.deepEqual(copy, { executor: 1, text: 'ma***', nested: [{ 'x-key': '******', n: 10, ok: true, none: null }], at: '1970-01-01T00:00:00.000Z' });
    assert.equal(entry.text, 'max', 'the original is untouched');
    for (const short of ['x', 'e', '"', ':', '{', ',', 'ab']) {
      const line = JSON.stringify(new Redactor([short]).redactValue({ run_id: 'r', executor: 0, error: `a "quoted" {x:1, ab} \\ e` }));
      assert.deepEqual(Object.keys(JSON.parse(line)), ['run_id', 'executor', 'error'], `secret ${short}: ${line}`);
    }
  });

  it('echoes: any spelling of a secret of at least 4 characters', () => {
    const e = new Redactor(['p@ss w0rd/+=', 'ab']);
    assert.equal(e.echoes(JSON.stringify({ echo: 'p@ss w0rd/+=' })), true);
    assert.equal(e.echoes('https://x.test/?k=p%40ss+w0rd%2F%2B%3D'), true);
    assert.equal(e.echoes('{"title":"abc"}'), false, 'a 2-character secret is not an echo');
    assert.equal(new Redactor([]).echoes('anything'), false);
    assert.equal(e.echoes('p@ss w0rd/+='), true, 'repeatable (no lastIndex left behind)');
  });

  it('fn is bound', () => {
    const { fn } = r;
    assert.equal(fn(SECRET), '***');
  });
});
