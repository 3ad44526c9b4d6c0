import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpError } from './http-error.js';
import { OriginPolicy, originOf } from './origin-policy.js';

const policy = new OriginPolicy({
  origin: 'https://api.example.com/3/',
  allowedOrigins: ['https://cdn.example.com'],
  credentialHeaders: ['X-Api-Key'],
  redact: (t) => t.replace(/s3cr3t/g, '***'),
});
const headers = { Authorization: 'Bearer s3cr3t', 'x-api-key': 's3cr3t', COOKIE: 'a=b', 'Proxy-Authorization': 'p', 'X-Trace': '1' };

describe('OriginPolicy', () => {
  it('sends every header to the job origin (default port normalised)', () => {
    assert.deepEqual(policy.headersFor(new URL('https://api.example.com:443/x?page=2'), headers), headers);
  });

  it('strips credential headers, case-insensitively, for an allowed origin', () => {
    assert.deepEqual(policy.headersFor(new URL('https://cdn.example.com/next'), headers), { 'X-Trace': '1' });
  });

  it('refuses any other origin, naming both, redacted', () => {
    for (const u of ['https://evil.example.net/x?k=s3cr3t', 'http://api.example.com/x', 'https://api.example.com:8443/x']) {
      assert.throws(
        () => policy.headersFor(new URL(u), headers),
        (e: HttpError) =>
          e instanceof HttpError &&
          e.code === 'PF_ERR_CROSS_ORIGIN' &&
          e.failure === 'CROSS_ORIGIN' &&
          e.attempts === 0 &&
          e.message.includes(new URL(u).origin) &&
          e.message.includes('https://api.example.com') &&
          !e.message.includes('s3cr3t') &&
          !e.message.includes('\n'),
      );
    }
  });

  it('originOf accepts only http(s)', () => {
    assert.equal(originOf('https://a.b/c'), 'https://a.b');
    assert.equal(originOf('ftp://a.b/c'), undefined);
    assert.equal(originOf('nope'), undefined);
  });
});
