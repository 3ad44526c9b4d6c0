import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PARQUET_BYTES_PER_JSON_BYTE } from './constants.js';
import { ParquetSizeEstimator } from './parquet-size-estimator.js';

describe('ParquetSizeEstimator', () => {
  it('estimates JSON bytes x the default ratio, then x the calibrated one', () => {
    const e = new ParquetSizeEstimator();
    assert.equal(e.estimate(10), 0);
    const records = Array.from({ length: 10 }, (_, i) => ({ i: 1000 + i }));
    e.addPage(records);
    const perRecord = JSON.stringify(records).length / 10 + 90;
    assert.equal(e.bytesPerRecord, perRecord);
    assert.equal(e.estimate(10), Math.ceil(perRecord * 10 * PARQUET_BYTES_PER_JSON_BYTE));
    assert.equal(e.shouldCalibrate(10), false);
    assert.equal(e.shouldCalibrate(2000), true);
    e.calibrate(10, perRecord); // a file one tenth of the JSON
    assert.equal(e.shouldCalibrate(5000), false, 'only once');
    assert.equal(e.estimate(100), Math.ceil(perRecord * 100 * 0.1));
  });
  it('samples only some pages after the first ones', () => {
    const e = new ParquetSizeEstimator();
    for (let p = 0; p < 16; p++) e.addPage([{ a: 1 }]);
    const before = e.bytesPerRecord;
    e.addPage([{ a: 'a much longer value that would move the average' }]); // page 17: not sampled
    assert.equal(e.bytesPerRecord, before);
  });
});
