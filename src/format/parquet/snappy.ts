/**
 * Snappy for Parquet pages: native code (the optional `snappy` package, prebuilt per platform) when it loads
 * here, about 3x less CPU than the fallback, hyparquet-writer's snappy in JavaScript. Both write the same
 * format; only the speed differs.
 */
import type { Codec } from './file-writer.js';

export const SNAPPY: Codec = await import('snappy').then(
  (native): Codec => ({ name: 'SNAPPY', compress: (bytes) => native.compressSync(bytes as Buffer) }),
  async (): Promise<Codec> => {
    const { snappyCompress } = await import('hyparquet-writer/src/snappy.js');
    return { name: 'SNAPPY', compress: snappyCompress };
  },
);
