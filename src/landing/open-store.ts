import { ConfigError } from '../errors.js';
import { FsStore } from './fs-store.js';
import type { Store } from './types.js';

/** The store for `output.root`: a local folder, or (once supported) an s3:// prefix. */
export function openStore(root: string): Store {
  if (/^s3a?:\/\//i.test(root)) {
    throw new ConfigError('output.root', 's3:// landing zones are not supported by this build yet; use a local folder');
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(root)) {
    throw new ConfigError('output.root', `expected a local folder or s3://bucket/prefix, got ${root.split('://')[0]}://`);
  }
  return new FsStore(root);
}
