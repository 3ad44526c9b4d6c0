/**
 * Types of the format module: the internal schema tree and the file builder interface.
 *
 * Schema trees are plain data. Functions of this module never mutate a tree they were given; they
 * return new trees (scalar nodes are shared frozen singletons).
 */
import type { RecordTexts } from './record-texts.js';

/**
 * Scalar kinds. `null` = only nulls seen so far. `json` = conflicting types, kept in a string column:
 * a string value as it is, any other value as its JSON text (what Spark's JSON reader puts in a string
 * column, so NDJSON and Parquet files, and files written before and after a widening, agree).
 */
export type ScalarKind = 'null' | 'long' | 'double' | 'boolean' | 'string' | 'timestamp' | 'json';

export interface ScalarType {
  readonly kind: ScalarKind;
}

/** A record-like object. Every field is nullable. Field order is first-seen order. */
export interface StructType {
  readonly kind: 'struct';
  fields: Field[];
}

/** An array. `containsNull` is true once a null element has been seen. */
export interface ListType {
  readonly kind: 'list';
  element: DataType;
  containsNull: boolean;
}

export type DataType = ScalarType | StructType | ListType;

export interface Field {
  name: string;
  type: DataType;
}

/** The schema of a file or dataset: the struct of one record. */
export type Schema = StructType;

export type Format = 'parquet' | 'ndjson';

/** Where a page came from; written into every record as `_pf_run_id`, `_pf_page`, `_pf_fetched_at`. */
export interface Provenance {
  runId: string;
  page: number;
  fetchedAt: Date;
}

/**
 * One page as every format's builder receives it: its records, where they came from, and their schema,
 * inferred once for all formats (`inferPage`).
 */
export interface PageInput {
  records: readonly unknown[];
  prov: Provenance;
  schema: StructType;
  /** The page's JSON size in bytes (the response body), for size estimates. */
  jsonBytes: number;
  /** The API's own text of each record, one per record when known (record-texts.ts): NDJSON writes it as sent. */
  texts?: RecordTexts;
}

/** Where a builder's bytes go (a store's upload): appended in order; `write` resolves once they are taken. */
export interface ByteSink {
  readonly bytes: number;
  write(chunk: Uint8Array): Promise<void>;
}

/** A finished file: its size and the schema of its records (provenance columns included). */
export interface BuiltFile {
  bytes: number;
  schema: Schema;
}

/**
 * Builds one data file from pages of records, streaming its bytes into an upload as they are encoded, so
 * memory holds at most one row group (Parquet) or the compressor's window (NDJSON), never the file.
 * Single use. `add` is synchronous and cheap; encoding and writing happen in `flush`/`finish`, which the
 * caller awaits (its backpressure).
 */
export interface FileBuilder {
  readonly format: Format;
  /** '.parquet' | '.ndjson.gz' */
  readonly extension: string;
  /** Records added so far. */
  readonly records: number;
  /** Running estimate of the finished file size in bytes, used to cut files at a target size. */
  readonly approxBytes: number;
  /**
   * Whether a page with this schema can still go into this file. A Parquet file's columns are fixed once its
   * first row group is written: a page that adds a writable column or widens one starts a new file.
   */
  fits(pageSchema: StructType): boolean;
  /** Adds one page's records. A record that is not a JSON object is stored as `{value: record}`. */
  add(page: PageInput): void;
  /** Encodes and writes whatever is ready (full row groups, compressed output); resolves once written. */
  flush(): Promise<void>;
  /** Writes the rest (the file is then whole in its upload, not yet visible) and returns what it holds. */
  finish(): Promise<BuiltFile>;
}

/** Options of a new file builder (`loadFileBuilders`). */
export interface FileBuilderOptions {
  /**
   * A schema to start inference from (the dataset's `schema.json`), so column types stay stable across
   * files. Parquet only; NDJSON keeps records as they are.
   */
  schema?: Schema;
  /** Writes that may wait in line before `flush` holds its caller (see WriteChain). Default 2; 0 = every flush waits. */
  writesAhead?: number;
}
