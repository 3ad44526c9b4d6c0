import { WriteError } from '../src/errors.js';
import type { PutOptions, Store, Upload } from '../src/landing/types.js';

/**
 * A Store in memory whose next `failNext` puts throw, as a store with a passing (or lasting) outage would.
 * Text bodies are kept in `objects` (easy to read in a test), binary ones in `binary`.
 */
export class MemoryStore implements Store {
  readonly location = 'memory://test';
  readonly objects = new Map<string, string>();
  readonly binary = new Map<string, Buffer>();
  /** Every put attempted, in order (failed ones too). */
  readonly puts: string[] = [];
  failNext = 0;

  async preflight(): Promise<void> {}
  async put(key: string, body: Uint8Array | string, opts?: PutOptions): Promise<boolean> {
    this.puts.push(key);
    if (this.failNext > 0) {
      this.failNext--;
      throw new WriteError(`cannot write ${this.location}/${key}: 503 SlowDown`);
    }
    if (opts?.ifAbsent && this.has(key)) return false;
    if (typeof body === 'string') this.objects.set(key, body);
    else this.binary.set(key, Buffer.from(body));
    return true;
  }
  async get(key: string): Promise<Uint8Array | undefined> {
    const v = this.binary.get(key) ?? this.objects.get(key);
    return v === undefined ? undefined : Buffer.from(v);
  }
  async read(key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    const bytes = await this.get(key);
    return bytes && (async function* () {
      yield bytes;
    })();
  }
  async getTail(key: string, bytes: number): Promise<Uint8Array | undefined> {
    return (await this.get(key))?.subarray(-bytes);
  }
  async size(key: string): Promise<number | undefined> {
    return (await this.get(key))?.byteLength;
  }
  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys(), ...this.binary.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
  async listSizes(prefix: string): Promise<Map<string, number>> {
    return new Map((await this.list(prefix)).map((k) => [k, this.binary.get(k)?.byteLength ?? Buffer.byteLength(this.objects.get(k)!)]));
  }
  async delete(key: string): Promise<void> {
    this.objects.delete(key);
    this.binary.delete(key);
  }
  async sweep(): Promise<number> {
    return 0;
  }
  /** Buffers the pieces; `complete` is one `put`, so `failNext` applies to it. */
  openUpload(key: string): Upload {
    const chunks: Buffer[] = [];
    let bytes = 0;
    return {
      key,
      get bytes() {
        return bytes;
      },
      write: async (chunk) => {
        chunks.push(Buffer.from(chunk));
        bytes += chunk.byteLength;
      },
      complete: async () => {
        await this.put(key, Buffer.concat(chunks));
      },
      abort: async () => {
        chunks.length = 0;
      },
    };
  }
  has(key: string): boolean {
    return this.objects.has(key) || this.binary.has(key);
  }
}
