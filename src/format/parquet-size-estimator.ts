import { PARQUET_BYTES_PER_JSON_BYTE } from './constants.js';

/** Approximate JSON bytes of the provenance fields of one record. */
const PROVENANCE_JSON_BYTES = 90;
/** Calibrate once the file holds this many records... */
const CALIBRATE_AT_RECORDS = 2000;
/** ...or this many (estimated) JSON bytes, whichever comes first. Unit: bytes. */
const CALIBRATE_AT_JSON_BYTES = 4 * 1024 * 1024;

/**
 * Running estimate of a Parquet file's size: (estimated JSON bytes of its records) x (Parquet bytes
 * per JSON byte). The ratio starts at `PARQUET_BYTES_PER_JSON_BYTE` and is replaced once by the ratio
 * of a real encoding of the first records (`calibrate`); a small sample compresses worse than the
 * whole file, so the estimate errs on the large side.
 */
export class ParquetSizeEstimator {
  private jsonBytes = 0;
  private records = 0;
  private ratio = PARQUET_BYTES_PER_JSON_BYTE;
  private calibrated = false;

  /** Notes one added page: `jsonLength` characters of JSON text holding `records` records. */
  addPage(jsonLength: number, records: number): void {
    this.jsonBytes += jsonLength + PROVENANCE_JSON_BYTES * records;
    this.records += records;
  }

  /** Average JSON bytes of one record, provenance included (0 before any page). */
  get bytesPerRecord(): number {
    return this.records === 0 ? 0 : this.jsonBytes / this.records;
  }

  /** Estimated file bytes for `records` records. */
  estimate(records: number): number {
    return Math.ceil(this.bytesPerRecord * records * this.ratio);
  }

  /** True once, when the file has grown enough for a real encoding to be a good sample. */
  shouldCalibrate(records: number): boolean {
    return !this.calibrated && (records >= CALIBRATE_AT_RECORDS || this.bytesPerRecord * records >= CALIBRATE_AT_JSON_BYTES);
  }

  /** Sets the ratio from a real encoding of the first `records` records into `fileBytes` bytes. */
  calibrate(records: number, fileBytes: number): void {
    this.calibrated = true;
    const json = this.bytesPerRecord * records;
    if (json > 0) this.ratio = Math.min(2, Math.max(0.02, fileBytes / json));
  }
}
