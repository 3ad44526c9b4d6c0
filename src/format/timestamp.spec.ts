import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dateToIsoMicros, isIsoTimestamp, isoToMicros } from './timestamp.js';

const us = (iso: string) => BigInt(Date.parse(iso)) * 1000n;

describe('isoToMicros', () => {
  it('converts Z, offsets and fractions to exact epoch microseconds', () => {
    assert.equal(isoToMicros('2024-01-01T10:00:00Z'), us('2024-01-01T10:00:00Z'));
    assert.equal(isoToMicros('2024-01-01T10:00:00.123456Z'), us('2024-01-01T10:00:00Z') + 123456n);
    assert.equal(isoToMicros('2024-01-01T10:00:00.5Z'), us('2024-01-01T10:00:00Z') + 500000n);
    assert.equal(isoToMicros('2024-01-01T12:00:00+02:00'), us('2024-01-01T10:00:00Z'));
    assert.equal(isoToMicros('2024-01-01T05:30:00-0430'), us('2024-01-01T10:00:00Z'));
    assert.equal(isoToMicros('2024-01-01T11:00:00+01'), us('2024-01-01T10:00:00Z'));
    assert.equal(isoToMicros('2024-01-01T10:00Z'), us('2024-01-01T10:00:00Z'));
    assert.equal(isoToMicros('1969-12-31T23:59:59.999999Z'), -1n);
    assert.equal(isoToMicros('2024-02-29T00:00:00Z'), us('2024-02-29T00:00:00Z'));
  });

  it('accepts nanosecond digits only when they are zeros (no precision is lost)', () => {
    assert.equal(isoToMicros('2024-01-01T10:00:00.123456000Z'), us('2024-01-01T10:00:00Z') + 123456n);
    assert.equal(isoToMicros('2024-01-01T10:00:00.123456789Z'), undefined);
  });

  it('rejects strings that are not zoned date-times', () => {
    for (const s of [
      '2024-01-01', // date only
      '2024-01-01T10:00:00', // no zone
      '2024-01-01 10:00:00Z', // space separator
      '2024-13-01T10:00:00Z',
      '2023-02-29T10:00:00Z', // not a leap year
      '2024-04-31T10:00:00Z',
      '2024-01-01T24:00:00Z',
      '2024-01-01T10:60:00Z',
      '2024-01-01T10:00:00.Z',
      '2024-01-01T10:00:00+2:00',
      '2024-01-01T10:00:00Zjunk',
      'hello world, not a date at all',
      '',
    ]) {
      assert.equal(isoToMicros(s), undefined, s);
      assert.equal(isIsoTimestamp(s), false, s);
    }
  });
});

describe('dateToIsoMicros', () => {
  it('writes UTC with six fraction digits', () => {
    assert.equal(dateToIsoMicros(new Date('2024-05-05T01:02:03.004Z')), '2024-05-05T01:02:03.004000Z');
  });
});
