import { NdjsonBuilder } from './ndjson-builder.js';
import type { ByteSink, FileBuilder, FileBuilderOptions, Format } from './types.js';

/** Makes a new, empty builder of one data file in `format`, streaming into `out`. */
export type CreateFileBuilder = (format: Format, out: ByteSink, options?: FileBuilderOptions) => FileBuilder;

/**
 * The builder factory for a job's formats. The Parquet writer (src/format/parquet/, and native snappy) is
 * loaded only when a job writes Parquet, so an NDJSON-only executor starts without it.
 */
export async function loadFileBuilders(formats: readonly Format[]): Promise<CreateFileBuilder> {
  const parquet = formats.includes('parquet') ? (await import('./parquet-builder.js')).ParquetBuilder : undefined;
  return (format, out, options = {}) => {
    switch (format) {
      case 'parquet':
        if (!parquet) throw new TypeError('parquet was not among the formats the builders were loaded for');
        return new parquet(out, options);
      case 'ndjson':
        return new NdjsonBuilder(out, options);
      default:
        throw new TypeError(`unknown format ${JSON.stringify(format as string)}`);
    }
  };
}
