import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoDay, parseIsoDay, yearOfDay } from './dates.js';

describe('dates', () => {
  it('parseIsoDay agrees with Date.UTC, and isoDay inverts it, day by day from 1899 to 2101', () => {
    for (let ms = Date.UTC(1899, 0, 1); ms <= Date.UTC(2101, 11, 31); ms += 86_400_000) {
      const s = new Date(ms).toISOString().slice(0, 10);
      const day = parseIsoDay(s);
      assert.equal(day, ms / 86_400_000, s);
      assert.equal(isoDay(day!), s);
      assert.equal(yearOfDay(day!), Number(s.slice(0, 4)));
    }
    assert.equal(parseIsoDay('1970-01-01'), 0);
    assert.equal(parseIsoDay('0100-03-01'), Date.UTC(100, 2, 1) / 86_400_000);
  });

  it('rejects what is not a real YYYY-MM-DD date', () => {
    const bad = [
      '', '2024', '2024-1-01', '2024-01-1', '24-01-01', '2024/01/01', '2024-01-01T00:00:00Z', ' 2024-01-01',
      '2024-00-10', '2024-13-01', '2024-01-00', '2024-01-32', '2023-02-29', '1900-02-29', '2024-04-31', 'abcd-ef-gh',
    ];
    for (const s of bad) assert.equal(parseIsoDay(s), undefined, JSON.stringify(s));
    assert.equal(isoDay(parseIsoDay('2000-02-29')!), '2000-02-29');
    assert.equal(isoDay(parseIsoDay('2024-02-29')!), '2024-02-29');
  });
});
