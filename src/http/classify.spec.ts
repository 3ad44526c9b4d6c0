import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyError, classifyStatus, isTimeoutError, isTransientError } from './classify.js';

const err = (code: string, message = code, cause?: unknown) => Object.assign(new Error(message, { cause }), { code });

describe('classifyStatus', () => {
  const cases: [number, boolean, string, string | undefined][] = [
    [200, false, 'success', undefined],
    [204, false, 'success', undefined],
    [301, false, 'fail', 'CLIENT_ERROR'],
    [302, false, 'fail', 'CLIENT_ERROR'],
    [400, false, 'fail', 'CLIENT_ERROR'],
    [401, false, 'fail', 'CLIENT_ERROR'],
    [404, false, 'fail', 'CLIENT_ERROR'],
    [408, false, 'retry', 'TIMEOUT'],
    [429, false, 'rateLimited', 'THROTTLING'],
    [429, true, 'rateLimited', 'THROTTLING'],
    [500, false, 'retry', 'SERVER_ERROR'],
    [501, false, 'fail', 'CLIENT_ERROR'],
    [505, false, 'fail', 'CLIENT_ERROR'],
    [502, false, 'retry', 'SERVER_ERROR'],
    [503, false, 'retry', 'SERVER_ERROR'],
    [503, true, 'rateLimited', 'THROTTLING'],
    [504, false, 'retry', 'SERVER_ERROR'],
    [520, false, 'retry', 'SERVER_ERROR'],
    [500, true, 'retry', 'SERVER_ERROR'],
    [600, false, 'fail', 'CLIENT_ERROR'],
  ];
  for (const [status, ra, action, errorClass] of cases) {
    it(`${status}${ra ? ' + Retry-After' : ''} -> ${action} ${errorClass ?? ''}`, () => {
      const d = classifyStatus(status, ra);
      assert.equal(d.action, action);
      assert.equal(d.errorClass, errorClass);
      assert.ok(d.reason.length > 0);
    });
  }
});

describe('classifyError', () => {
  const cases: [string, unknown, string, string][] = [
    ['connect timeout', err('UND_ERR_CONNECT_TIMEOUT'), 'retry', 'TIMEOUT'],
    ['headers timeout', err('UND_ERR_HEADERS_TIMEOUT'), 'retry', 'TIMEOUT'],
    ['body timeout', err('UND_ERR_BODY_TIMEOUT'), 'retry', 'TIMEOUT'],
    ['socket', err('UND_ERR_SOCKET', 'other side closed'), 'retry', 'TRANSIENT'],
    ['reset', err('ECONNRESET'), 'retry', 'TRANSIENT'],
    ['refused', err('ECONNREFUSED'), 'retry', 'TRANSIENT'],
    ['pipe', err('EPIPE'), 'retry', 'TRANSIENT'],
    ['closed', err('UND_ERR_CLOSED'), 'retry', 'TRANSIENT'],
    ['length mismatch', err('UND_ERR_RES_CONTENT_LENGTH_MISMATCH'), 'retry', 'TRANSIENT'],
    ['premature close by message', new Error('Premature close'), 'retry', 'TRANSIENT'],
    ['parser error', err('HPE_INVALID_CONSTANT'), 'retry', 'TRANSIENT'],
    ['truncated gzip', err('PF_BODY_TRUNCATED'), 'retry', 'TRANSIENT'],
    ['not JSON', err('PF_BODY_NOT_JSON'), 'retry', 'BAD_BODY'],
    ['corrupt gzip', err('PF_BODY_ENCODING', 'x', err('Z_DATA_ERROR')), 'retry', 'BAD_BODY'],
    ['too large', err('PF_BODY_TOO_LARGE'), 'fail', 'TOO_LARGE'],
    ['attempt deadline', err('PF_DEADLINE_EXCEEDED'), 'retry', 'TIMEOUT'],
    ['tls', err('CERT_HAS_EXPIRED'), 'fail', 'CLIENT_ERROR'],
    ['dns', err('ENOTFOUND'), 'fail', 'CLIENT_ERROR'],
    ['not an error', 'boom', 'fail', 'CLIENT_ERROR'],
    ['undefined', undefined, 'fail', 'CLIENT_ERROR'],
  ];
  for (const [name, e, action, errorClass] of cases) {
    it(`${name} -> ${action} ${errorClass}`, () => {
      const d = classifyError(e);
      assert.equal(d.action, action);
      assert.equal(d.errorClass, errorClass);
    });
  }

  it('follows error.cause', () => {
    const wrapped = new TypeError('fetch failed', { cause: new Error('wrapper', { cause: err('ECONNRESET') }) });
    assert.equal(isTransientError(wrapped), true);
    assert.deepEqual(classifyError(wrapped).errorClass, 'TRANSIENT');
    assert.equal(isTimeoutError(new Error('x', { cause: err('UND_ERR_BODY_TIMEOUT') })), true);
  });

  it('survives cause cycles', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    assert.equal(classifyError(a).action, 'fail');
  });
});
