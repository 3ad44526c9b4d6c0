/**
 * A growable little-endian byte buffer, reused from row group to row group (`reset` keeps its memory), so
 * encoding a column allocates nothing per value.
 */
export class ByteBuffer {
  private buf: Buffer;
  private view: DataView;
  length = 0;

  constructor(initialBytes = 4096) {
    this.buf = Buffer.allocUnsafe(initialBytes);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Makes room for `extra` more bytes. */
  ensure(extra: number): void {
    const need = this.length + extra;
    if (need <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    this.buf.copy(grown, 0, 0, this.length);
    this.buf = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  /** Overwrites 4 bytes at `at` (a length prefix written before its contents were known). */
  setU32(at: number, v: number): void {
    this.view.setUint32(at, v, true);
  }

  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  /**
   * An int64 given as an integer-valued number. Exact for every integer a double holds (|v| < 2^63): the low
   * word is v mod 2^32 (ToUint32), the high word the floor of v / 2^32, both exact in double arithmetic.
   */
  i64(v: number): void {
    this.ensure(8);
    this.view.setUint32(this.length, v >>> 0, true);
    this.view.setInt32(this.length + 4, Math.floor(v / 4294967296), true);
    this.length += 8;
  }

  i64Big(v: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.length, v, true);
    this.length += 8;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** A BYTE_ARRAY value: its UTF-8 length (4 bytes), then its UTF-8 bytes. */
  lengthPrefixedUtf8(s: string): void {
    this.ensure(4 + 3 * s.length); // a UTF-16 code unit is at most 3 UTF-8 bytes
    const n = this.buf.write(s, this.length + 4);
    this.view.setUint32(this.length, n, true);
    this.length += 4 + n;
  }

  /** Unsigned LEB128 of a non-negative integer up to 2^53. */
  varint(v: number): void {
    this.ensure(8);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  /** The bytes written so far, as a view (valid until the next write or `reset`). */
  written(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** The bytes written so far, copied. */
  copy(): Uint8Array {
    return Uint8Array.prototype.slice.call(this.buf, 0, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}
