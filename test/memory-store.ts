import { WriteError } from '../src/errors.js';
import type { Store } from '../src/landing/types.js';

/** A Store in memory whose next `failNext` puts throw, as a store with a passing (or lasting) outage would. */
export class MemoryStore implements Store {
  readonly location = 'memory://test';
  readonly objects = new Map<string, string>();
  /** Every put attempted, in order (failed ones too). */
  readonly puts: string[] = [];
  failNext = 0;

  async preflight(): Promise<void> {}
  async put(key: string, body: Uint8Array | string, opts?: { ifAbsent?: boolean }): Promise<boolean> {
    this.puts.push(key);
    if (this.failNext > 0) {
      this.failNext--;
      throw new WriteError(`cannot write ${this.location}/${key}: 503 SlowDown`);
    }
    if (opts?.ifAbsent && this.objects.has(key)) return false;
    this.objects.set(key, typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
    return true;
  }
  async get(key: string): Promise<Uint8Array | undefined> {
    const v = this.objects.get(key);
    return v === undefined ? undefined : Buffer.from(v);
  }
  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
  async listSizes(prefix: string): Promise<Map<string, number>> {
    return new Map((await this.list(prefix)).map((k) => [k, Buffer.byteLength(this.objects.get(k)!)]));
  }
  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }
  async sweep(): Promise<number> {
    return 0;
  }
}
