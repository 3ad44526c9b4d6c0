/** What an S3 call failed with, in one line for a human: the server's answer, or why there was none. */
export function describeS3Error(err: unknown, bucket?: string): string {
  const e = err as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  const name = e?.name ?? 'Error';
  if (name === 'CredentialsProviderError') {
    return 'no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run with an instance or pod role)';
  }
  if (e?.message === 'Region is missing') return 'no region (set output.s3.region or AWS_REGION)';
  const network = networkCode(err);
  if (network) return `the endpoint did not answer (${network})`;
  if (status === 404 && bucket && name === 'NoSuchBucket') return `bucket "${bucket}" does not exist (404 NoSuchBucket)`;
  if (status === 403) return `access denied (403 ${name}${detail(e)}): check the credentials and the bucket policy`;
  if (status === 301) return `the bucket is in another region (301 ${name}): set output.s3.region`;
  return `${status ? `${status} ` : ''}${name}${detail(e)}`;
}

function detail(e: { name?: string; message?: string }): string {
  const m = e?.message;
  return m && m !== 'UnknownError' && m !== e.name ? `: ${m.replace(/\s+/g, ' ').slice(0, 200)}` : '';
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

function networkCode(err: unknown): string | undefined {
  for (let e = err as { code?: string; name?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code && NETWORK_CODES.has(e.code)) return e.code;
    if (e.name === 'TimeoutError') return 'timed out';
  }
  return undefined;
}

/** The HTTP status of a failed S3 call, if the server answered. */
export function s3Status(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}
