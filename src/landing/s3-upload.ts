import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Upload } from './types.js';

/** The requests an upload sends. */
type UploadCommand = PutObjectCommand | CreateMultipartUploadCommand | UploadPartCommand | CompleteMultipartUploadCommand;
/** What S3 answers to a command: the output its SDK handler resolves to. */
type OutputOf<C> = C extends { resolveMiddleware(...args: never[]): (args: never) => Promise<{ output: infer O }> } ? O : never;

/**
 * An object streamed to S3 part by part: bytes are buffered up to one part, then that part is sent while
 * the next one fills (at most one part in flight, so memory is bounded by two parts). A file smaller than
 * one part is a single PutObject at `complete`. Nothing is visible before CompleteMultipartUpload; an
 * upload left by a crash is aborted by `S3Store.sweep`.
 */
export class S3PartUpload implements Upload {
  bytes = 0;
  private buffered: Uint8Array[] = [];
  private bufferedBytes = 0;
  private uploadId: string | undefined;
  private readonly parts: CompletedPart[] = [];
  /** The part being sent; a failure surfaces at the next write or at `complete`. */
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    /** The object key in the bucket (prefix included). */
    private readonly objectKey: string,
    private readonly partSizeBytes: number,
    /** The key relative to the landing zone. */
    readonly key: string,
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.byteLength;
    this.bytes += chunk.byteLength;
    if (this.bufferedBytes >= this.partSizeBytes) await this.sendPart();
  }

  async complete(): Promise<void> {
    if (this.uploadId === undefined) {
      const body = this.take();
      await this.send(() => new PutObjectCommand({ Bucket: this.bucket, Key: this.objectKey, Body: body }));
      return;
    }
    if (this.bufferedBytes > 0) await this.sendPart();
    await this.sending;
    await this.send(
      () => new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: this.objectKey, UploadId: this.uploadId, MultipartUpload: { Parts: this.parts } }),
    );
  }

  async abort(): Promise<void> {
    this.take();
    await this.sending.catch(() => {});
    if (this.uploadId === undefined) return;
    await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.objectKey, UploadId: this.uploadId })).catch(() => {});
  }

  /** Waits for the previous part, then starts sending the buffered bytes as the next one. */
  private async sendPart(): Promise<void> {
    const body = this.take();
    await this.sending;
    this.uploadId ??= (await this.send(() => new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.objectKey }))).UploadId!;
    const PartNumber = this.parts.length + 1;
    const part: CompletedPart = { PartNumber };
    this.parts.push(part);
    const uploadId = this.uploadId;
    this.sending = this.send(() => new UploadPartCommand({ Bucket: this.bucket, Key: this.objectKey, UploadId: uploadId, PartNumber, Body: body }))
      .then((r) => {
        part.ETag = r.ETag;
      });
  }

  private async send<C extends UploadCommand>(command: () => C): Promise<OutputOf<C>> {
    return (await this.client.send(command() as never)) as OutputOf<C>;
  }

  private take(): Buffer {
    const body = Buffer.concat(this.buffered, this.bufferedBytes);
    this.buffered = [];
    this.bufferedBytes = 0;
    return body;
  }
}
