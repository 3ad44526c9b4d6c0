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

  it('fn is bound', () => {
    const { fn } = r;
    assert.equal(fn(SECRET), '***');
  });
});
