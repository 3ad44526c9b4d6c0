import { ConfigError } from '../errors.js';
import type { S3Settings } from '../spec/types.js';
import { FsStore } from './fs-store.js';
import type { Store } from './types.js';

/**
 * The store for `output.root`: an s3:// (or s3a://) prefix, or a local folder. The AWS SDK is loaded only
 * for an S3 root: it costs an executor about 0.3 CPU-s and 25 MiB at start-up that a folder root never uses.
 */
export async function openStore(root: string, s3: S3Settings): Promise<Store> {
  if (/^s3a?:\/\//i.test(root)) return new (await import('./s3-store.js')).S3Store(root, s3);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(root)) {
    throw new ConfigError('output.root', `expected a local folder or s3://bucket/prefix, got ${root.split('://')[0]}://`);
  }
  return new FsStore(root);
}
