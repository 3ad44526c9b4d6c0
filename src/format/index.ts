/** Public API of the format module. */
export type {
  BuiltFile,
  ByteSink,
  DataType,
  Field,
  FileBuilder,
  FileBuilderOptions,
  Format,
  PageInput,
  ListType,
  Provenance,
  ScalarKind,
  ScalarType,
  Schema,
  StructType,
} from './types.js';
export { loadFileBuilders, type CreateFileBuilder } from './create-file-builder.js';
export { inferSchema, mergeSchema, mergeType } from './schema.js';
export { fromSparkSchema, toSparkSchema } from './spark-schema.js';
export type { SparkDataType, SparkStructField, SparkStructType } from './spark-schema.js';
export { PROVENANCE_COLUMNS, withProvenance } from './provenance.js';
export { isoToMicros } from './timestamp.js';
