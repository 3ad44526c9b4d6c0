/**
 * A landing zone: a local folder or an S3 prefix. Keys are '/'-separated paths relative to the root.
 * Every `put` is atomic: a reader sees the whole object or nothing.
 */
export interface PutOptions {
  ifAbsent?: boolean;
  /** Default true: on a local folder the bytes and the name are fsynced before `put` resolves. */
  durable?: boolean;
}

export interface Store {
  /** A human-readable location for messages, e.g. the absolute folder or s3://bucket/prefix. */
  readonly location: string;
  /** Checks the store can be written and listed; throws UnavailableError (exit 3) if not. */
  preflight(): Promise<void>;
  /**
   * Writes `body` at `key` atomically. With `ifAbsent`, writes only if no object exists there and
   * returns false when one did (create-once, used for the plan). `durable: false` (a local folder) leaves
   * out the fsyncs, keeping the atomic rename: for what only says that a live writer is there (a
   * heartbeat, a rate-slot entry), which a power loss makes untrue anyway by ending the writer.
   */
  put(key: string, body: Uint8Array | string, opts?: PutOptions): Promise<boolean>;
  /** The object's bytes, or undefined if absent. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** The object's bytes as a stream of chunks (memory: one chunk at a time), or undefined if absent. */
  read(key: string): Promise<AsyncIterable<Uint8Array> | undefined>;
  /** The last `bytes` bytes of an object (all of it when smaller), or undefined if absent. */
  getTail(key: string, bytes: number): Promise<Uint8Array | undefined>;
  /** The object's size in bytes, or undefined if absent: one look, for a key known by name (no listing). */
  size(key: string): Promise<number | undefined>;
  /** Keys under a prefix (recursive, sorted), skipping in-progress temp files. */
  list(prefix: string): Promise<string[]>;
  /** Like `list`, with each object's size in bytes. */
  listSizes(prefix: string): Promise<Map<string, number>>;
  delete(key: string): Promise<void>;
  /**
   * Removes leftovers of writes interrupted by a crash (temp files) directly under `dir` whose names
   * start with `namePrefix`. Only the writer that owns those names may call it. Returns how many.
   */
  sweep(dir: string, namePrefix: string): Promise<number>;
  /**
   * Starts writing an object in pieces (a data file streamed as it is encoded). Nothing is visible at `key`
   * until `complete`; a crash leaves a temp file or an unfinished multipart upload that `sweep` removes.
   * Does no I/O until the first write.
   */
  openUpload(key: string): Upload;
}

/** An object being written in pieces: invisible until `complete`, gone after `abort`. */
export interface Upload {
  readonly key: string;
  /** Bytes written so far. */
  readonly bytes: number;
  /** Appends bytes. Resolves once they are stored or buffered within the store's bound (backpressure). */
  write(chunk: Uint8Array): Promise<void>;
  /** Makes the whole object visible at its key, atomically. */
  complete(): Promise<void>;
  /** Discards everything written; safe after a failed write and when nothing was written. */
  abort(): Promise<void>;
}
