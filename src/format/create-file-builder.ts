import { NdjsonBuilder } from './ndjson-builder.js';
import { ParquetBuilder } from './parquet-builder.js';
import type { FileBuilder, FileBuilderOptions, Format } from './types.js';

/** A new, empty builder of one data file in `format`. */
export function createFileBuilder(format: Format, options: FileBuilderOptions = {}): FileBuilder {
  switch (format) {
    case 'parquet':
      return new ParquetBuilder(options.schema);
    case 'ndjson':
      return new NdjsonBuilder();
    default:
      throw new TypeError(`unknown format ${JSON.stringify(format as string)}`);
  }
}
