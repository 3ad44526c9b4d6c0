import { NdjsonBuilder } from './ndjson-builder.js';
import { ParquetBuilder } from './parquet-builder.js';
import type { ByteSink, FileBuilder, FileBuilderOptions, Format } from './types.js';

/** A new, empty builder of one data file in `format`, streaming into `out`. */
export function createFileBuilder(format: Format, out: ByteSink, options: FileBuilderOptions = {}): FileBuilder {
  switch (format) {
    case 'parquet':
      return new ParquetBuilder(out, options.schema);
    case 'ndjson':
      return new NdjsonBuilder(out);
    default:
      throw new TypeError(`unknown format ${JSON.stringify(format as string)}`);
  }
}
