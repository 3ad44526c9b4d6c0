import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../errors.js';
import { MOCK_DEFAULTS } from './constants.js';
import { addedRecordsOf, resolveMockOptions } from './options.js';

describe('resolveMockOptions', () => {
  it('fills the documented defaults; undefined counts as unset', () => {
    const o = resolveMockOptions({ size: 10, seed: undefined });
    assert.deepEqual(o, { ...MOCK_DEFAULTS, size: 10 });
    assert.equal(MOCK_DEFAULTS.size, 100_000);
    assert.equal(MOCK_DEFAULTS.perPage, 100);
    assert.equal(MOCK_DEFAULTS.host, '127.0.0.1');
  });

  it('rejects bad values with a ConfigError naming the option', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ errorRate: 1.5 }, 'mock.errorRate'],
      [{ resetRate: -0.1 }, 'mock.resetRate'],
      [{ errorRate: 0.6, htmlRate: 0.6 }, 'mock.errorRate'],
      [{ perPage: 0 }, 'mock.perPage'],
      [{ size: 1.5 }, 'mock.size'],
      [{ port: 70000 }, 'mock.port'],
      [{ rateLimit: -1 }, 'mock.rateLimit'],
      [{ crossOriginNext: 'ftp://x' }, 'mock.crossOriginNext'],
      [{ requireToken: '' }, 'mock.requireToken'],
      [{ requireParam: { name: '', value: 'v' } }, 'mock.requireParam'],
      [{ echoParam: '' }, 'mock.echoParam'],
      [{ maxPages: 0 }, 'mock.maxPages'],
      [{ maxPages: 2.5 }, 'mock.maxPages'],
      [{ size: 100, baseSize: 101 }, 'mock.baseSize'],
      [{ baseSize: -1 }, 'mock.baseSize'],
      [{ baseSize: 10, addedAfter: '2024-02-30' }, 'mock.addedAfter'],
      [{ baseSize: 10, addedAfter: '31.12.2024' }, 'mock.addedAfter'],
      [{ addedAfter: '2024-12-31' }, 'mock.addedAfter'],
    ];
    for (const [opts, field] of cases) {
      assert.throws(
        () => resolveMockOptions(opts),
        (e: unknown) => e instanceof ConfigError && e.field === field && e.code === 'PF_ERR_CONFIG',
        JSON.stringify(opts),
      );
    }
  });

  it('defaults the page cap to TMDB\'s 500 and the added-records scheme to off', () => {
    const o = resolveMockOptions();
    assert.equal(o.maxPages, 500);
    assert.equal(o.baseSize, 0);
    assert.equal(addedRecordsOf(o), undefined);
    const on = resolveMockOptions({ size: 20, baseSize: 20, addedAfter: '1970-01-31' });
    assert.deepEqual(addedRecordsOf(on), { baseIndex: 20, afterDay: 30 });
  });

  it('normalises crossOriginNext to an origin', () => {
    const o = resolveMockOptions({ crossOriginNext: 'http://127.0.0.1:9/some/path' });
    assert.equal(o.crossOriginNext, 'http://127.0.0.1:9');
  });
});
