import { ConfigError } from '../errors.js';

/** An `s3://bucket/prefix` root, split. `prefix` is '' or ends with '/'. */
export interface S3Location {
  bucket: string;
  prefix: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parses `s3://bucket[/prefix]` (or `s3a://`, as Spark spells it). Throws ConfigError naming output.root. */
export function parseS3Location(root: string): S3Location {
  const m = /^s3a?:\/\/([^/]*)\/?(.*)$/i.exec(root);
  if (!m) throw new ConfigError('output.root', `expected s3://bucket/prefix, got ${root}`);
  const [, bucket, rest] = m;
  if (!BUCKET.test(bucket)) {
    throw new ConfigError('output.root', `expected an S3 bucket name (3-63 of a-z 0-9 . -), got "${bucket}"`);
  }
  const parts = rest.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '.' || p === '..')) throw new ConfigError('output.root', `expected a prefix without . or .. segments, got ${root}`);
  return { bucket, prefix: parts.length ? `${parts.join('/')}/` : '' };
}

export function formatS3Location({ bucket, prefix }: S3Location): string {
  return `s3://${bucket}/${prefix.replace(/\/$/, '')}`.replace(/\/$/, '');
}
