import { randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { UnavailableError, WriteError } from '../errors.js';
import type { S3Settings } from '../spec/types.js';
import { describeS3Error, s3Status } from './s3-error.js';
import { S3RetryStrategy } from './s3-retry.js';
import { formatS3Location, parseS3Location, type S3Location } from './s3-location.js';
import { S3PartUpload } from './s3-upload.js';
import type { PutOptions, Store, Upload } from './types.js';

// The SDK is pinned to a release that supports Node 20; its "future releases need Node 22" notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Per-request timeouts: connecting, and a socket idle while a request or response is in flight. */
const CONNECT_TIMEOUT_MS = 5_000;
const SOCKET_TIMEOUT_MS = 60_000;

/**
 * A landing zone under an S3 prefix, on AWS or any S3-compatible server.
 * Atomic writes come from S3 itself: a PutObject, or a multipart upload that becomes visible only at
 * CompleteMultipartUpload (and is aborted on failure). Create-once uses `If-None-Match: *`.
 * Endpoint, region and credentials: `output.s3`, else the AWS environment and credential chain.
 */
export class S3Store implements Store {
  readonly location: string;
  private readonly where: S3Location;
  private readonly client: S3Client;
  private readonly partSizeBytes: number;
  private readonly endpointLabel: string;

  constructor(root: string, settings: S3Settings, env: NodeJS.ProcessEnv = process.env) {
    this.where = parseS3Location(root);
    this.location = formatS3Location(this.where);
    this.partSizeBytes = settings.partSizeBytes;
    const endpoint = settings.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
    const region = settings.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (endpoint ? 'us-east-1' : undefined);
    this.endpointLabel = endpoint ?? `AWS S3${region ? ` ${region}` : ''}`;
    this.client = new S3Client({
      endpoint,
      region,
      // S3-compatible servers rarely serve virtual-host buckets; AWS itself wants virtual-host style.
      forcePathStyle: settings.forcePathStyle ?? endpoint !== undefined,
      retryStrategy: new S3RetryStrategy(settings.maxAttempts),
      requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: SOCKET_TIMEOUT_MS },
    });
  }

  /** Bucket exists, credentials can write, list and delete under the prefix, endpoint answers. Writes nothing lasting. */
  async preflight(): Promise<void> {
    const fail = (what: string, cause: unknown) =>
      new UnavailableError(`output.root: cannot use ${this.location} at ${this.endpointLabel}: ${what}`, { cause });
    try {
      // a listing rather than HeadBucket: HEAD answers carry no error code, so 404 could mean "unknown key"
      await this.client.send(new ListObjectsV2Command({ Bucket: this.where.bucket, Prefix: this.where.prefix, MaxKeys: 1 }));
    } catch (err) {
      throw fail(describeS3Error(err, this.where.bucket), err);
    }
    const dir = '_pagefleet/_preflight';
    const probe = `${dir}/${randomBytes(6).toString('hex')}`;
    let step = 'write';
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.where.bucket, Key: this.key(probe), Body: 'pagefleet preflight' }));
      step = 'list';
      if (!(await this.listRaw(dir)).has(probe)) throw new Error('an object just written was not listed');
      step = 'delete';
      await this.client.send(new DeleteObjectCommand({ Bucket: this.where.bucket, Key: this.key(probe) }));
    } catch (err) {
      throw fail(`cannot ${step} under the prefix: ${describeS3Error(err, this.where.bucket)}`, err);
    }
  }

  async put(key: string, body: Uint8Array | string, opts: PutOptions = {}): Promise<boolean> {
    const params = { Bucket: this.where.bucket, Key: this.key(key), Body: typeof body === 'string' ? Buffer.from(body) : body };
    try {
      if (opts.ifAbsent) return await this.putIfAbsent(params);
      if (params.Body.byteLength <= this.partSizeBytes) {
        await this.client.send(new PutObjectCommand(params));
      } else {
        const upload = new S3PartUpload(this.client, this.where.bucket, params.Key, this.partSizeBytes, key);
        try {
          for (let at = 0; at < params.Body.byteLength; at += this.partSizeBytes) await upload.write(params.Body.subarray(at, at + this.partSizeBytes));
          await upload.complete();
        } catch (err) {
          await upload.abort(); // no parts left behind (when S3 answers)
          throw err;
        }
      }
      return true;
    } catch (err) {
      throw new WriteError(`cannot write ${this.location}/${key}: ${describeS3Error(err, this.where.bucket)}`, { cause: err });
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.where.bucket, Key: this.key(key) }));
      return await res.Body!.transformToByteArray();
    } catch (err) {
      if (s3Status(err) === 404) return undefined;
      throw new UnavailableError(`cannot read ${this.location}/${key}: ${describeS3Error(err, this.where.bucket)}`, { cause: err });
    }
  }

  async read(key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.where.bucket, Key: this.key(key) }));
      return res.Body as AsyncIterable<Uint8Array>; // a Node Readable: streamed, not buffered
    } catch (err) {
      if (s3Status(err) === 404) return undefined;
      throw new UnavailableError(`cannot read ${this.location}/${key}: ${describeS3Error(err, this.where.bucket)}`, { cause: err });
    }
  }

  async getTail(key: string, bytes: number): Promise<Uint8Array | undefined> {
    try {
      // a suffix range longer than the object returns the whole object
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.where.bucket, Key: this.key(key), Range: `bytes=-${bytes}` }));
      return await res.Body!.transformToByteArray();
    } catch (err) {
      if (s3Status(err) === 404) return undefined;
      if (s3Status(err) === 416) return new Uint8Array(0); // an empty object has no range to satisfy
      throw new UnavailableError(`cannot read ${this.location}/${key}: ${describeS3Error(err, this.where.bucket)}`, { cause: err });
    }
  }

  async size(key: string): Promise<number | undefined> {
    try {
      return (await this.client.send(new HeadObjectCommand({ Bucket: this.where.bucket, Key: this.key(key) }))).ContentLength ?? 0;
    } catch (err) {
      if (s3Status(err) === 404) return undefined;
      throw new UnavailableError(`cannot read ${this.location}/${key}: ${describeS3Error(err, this.where.bucket)}`, { cause: err });
    }
  }

  async list(prefix: string): Promise<string[]> {
    return [...(await this.listSizes(prefix)).keys()];
  }

  async listSizes(prefix: string): Promise<Map<string, number>> {
    try {
      return await this.listRaw(prefix);
    } catch (err) {
      throw new UnavailableError(`cannot list ${this.location}/${prefix}: ${describeS3Error(err, this.where.bucket)}`, { cause: err });
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.where.bucket, Key: this.key(key) }));
    } catch (err) {
      throw new WriteError(`cannot delete ${this.location}/${key}: ${describeS3Error(err, this.where.bucket)}`, { cause: err });
    }
  }

  /** Aborts multipart uploads left by a killed writer: the S3 form of a crashed write's temp file. */
  async sweep(dir: string, namePrefix: string): Promise<number> {
    const folder = `${this.key(dir)}/`;
    let aborted = 0;
    let marker: { KeyMarker?: string; UploadIdMarker?: string } = {};
    for (;;) {
      const page = await this.client.send(new ListMultipartUploadsCommand({ Bucket: this.where.bucket, Prefix: folder + namePrefix, ...marker }));
      for (const u of page.Uploads ?? []) {
        if (!u.Key || u.Key.slice(folder.length).includes('/')) continue;
        await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.where.bucket, Key: u.Key, UploadId: u.UploadId }));
        aborted++;
      }
      if (!page.IsTruncated) return aborted;
      marker = { KeyMarker: page.NextKeyMarker, UploadIdMarker: page.NextUploadIdMarker };
    }
  }

  /** Streams part by part (see S3PartUpload); errors say which object could not be written. */
  openUpload(key: string): Upload {
    const upload = new S3PartUpload(this.client, this.where.bucket, this.key(key), this.partSizeBytes, key);
    const fail = (err: unknown) => new WriteError(`cannot write ${this.location}/${key}: ${describeS3Error(err, this.where.bucket)}`, { cause: err });
    const wrapped = <A extends unknown[]>(f: (...a: A) => Promise<void>) => async (...a: A) => {
      try {
        await f(...a);
      } catch (err) {
        throw fail(err);
      }
    };
    return {
      key,
      get bytes() {
        return upload.bytes;
      },
      write: wrapped((chunk: Uint8Array) => upload.write(chunk)),
      complete: wrapped(() => upload.complete()),
      abort: () => upload.abort(),
    };
  }

  private async putIfAbsent(params: { Bucket: string; Key: string; Body: Uint8Array }): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(new PutObjectCommand({ ...params, IfNoneMatch: '*' }));
        return true;
      } catch (err) {
        if (s3Status(err) === 412) return false;
        // 409: another conditional write to this key is in flight; S3 asks to retry, which then answers 412 or 200
        if (s3Status(err) !== 409 || attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }

  private async listRaw(prefix: string): Promise<Map<string, number>> {
    const base = this.where.prefix;
    const full = prefix === '' ? base : `${this.key(prefix)}/`;
    const keys: [string, number][] = [];
    for await (const page of paginateListObjectsV2({ client: this.client }, { Bucket: this.where.bucket, Prefix: full })) {
      for (const o of page.Contents ?? []) {
        const name = o.Key!.slice(o.Key!.lastIndexOf('/') + 1);
        if (!name.startsWith('.')) keys.push([o.Key!.slice(base.length), o.Size ?? 0]);
      }
    }
    return new Map(keys.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  private key(key: string): string {
    if (key.startsWith('/') || key.split('/').some((p) => p === '' || p === '.' || p === '..')) {
      throw new WriteError(`key escapes the landing zone or has an empty segment: ${key}`);
    }
    return this.where.prefix + key;
  }
}
