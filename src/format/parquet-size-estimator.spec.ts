import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PARQUET_BYTES_PER_JSON_BYTE } from './constants.js';
import { ParquetSizeEstimator } from './parquet-size-estimator.js';

describe('ParquetSizeEstimator', () => {
  it('estimates JSON bytes x the default ratio, then x the calibrated one', () => {
    const e = new ParquetSizeEstimator();
    assert.equal(e.estimate(10), 0);
    e.addPage(1000, 10);
    const perRecord = 100 + 90; // + provenance
    assert.equal(e.bytesPerRecord, perRecord);
    assert.equal(e.estimate(10), Math.ceil(perRecord * 10 * PARQUET_BYTES_PER_JSON_BYTE));
    assert.equal(e.shouldCalibrate(10), false);
    assert.equal(e.shouldCalibrate(2000), true);
    e.calibrate(10, perRecord); // a file one tenth of the JSON
    assert.equal(e.shouldCalibrate(5000), false, 'only once');
    assert.equal(e.estimate(100), Math.ceil(perRecord * 100 * 0.1));
  });
  it('calibrates early for large records', () => {
    const e = new ParquetSizeEstimator();
    e.addPage(5 * 1024 * 1024, 20);
    assert.equal(e.shouldCalibrate(20), true);
  });
});
