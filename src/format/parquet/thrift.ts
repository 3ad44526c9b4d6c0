/**
 * Thrift's compact protocol, write side, as much of it as a Parquet footer and page headers use: structs of
 * i32, i64, bool, binary, list and struct fields. Fields are written in the order the caller gives; ids
 * must increase within a struct (the short field header holds the delta).
 */
import type { ByteBuffer } from './bytes.js';

const BOOL_TRUE = 1;
const BOOL_FALSE = 2;
const I32 = 5;
const I64 = 6;
const BINARY = 8;
const LIST = 9;
const STRUCT = 12;

/** Element types of a list. */
export const ELEMENT = { i32: I32, binary: BINARY, struct: STRUCT } as const;

export class CompactWriter {
  /** Last field id of each open struct, innermost last. */
  private readonly lastIds: number[] = [0];

  constructor(readonly out: ByteBuffer) {}

  i32(id: number, v: number): this {
    this.header(id, I32);
    this.out.varint(zigzag(v));
    return this;
  }

  i64(id: number, v: number): this {
    this.header(id, I64);
    this.out.varint(zigzag(v));
    return this;
  }

  bool(id: number, v: boolean): this {
    this.header(id, v ? BOOL_TRUE : BOOL_FALSE);
    return this;
  }

  binary(id: number, v: string | Uint8Array): this {
    this.header(id, BINARY);
    this.binaryValue(v);
    return this;
  }

  /** A struct field: `body` writes its fields. */
  struct(id: number, body: (w: this) => void): this {
    this.header(id, STRUCT);
    this.structValue(body);
    return this;
  }

  /** A list field of `items`, each written by `each` (a struct element: `w.structValue(...)`). */
  list<T>(id: number, element: number, items: readonly T[], each: (w: this, item: T) => void): this {
    this.header(id, LIST);
    if (items.length < 15) this.out.u8((items.length << 4) | element);
    else {
      this.out.u8(0xf0 | element);
      this.out.varint(items.length);
    }
    for (const item of items) each(this, item);
    return this;
  }

  /** A struct value (a top-level struct, or a list element): its fields, then the stop byte. */
  structValue(body: (w: this) => void): void {
    this.lastIds.push(0);
    body(this);
    this.out.u8(0);
    this.lastIds.pop();
  }

  binaryValue(v: string | Uint8Array): void {
    const bytes = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    this.out.varint(bytes.length);
    this.out.bytes(bytes);
  }

  i32Value(v: number): void {
    this.out.varint(zigzag(v));
  }

  private header(id: number, type: number): void {
    const delta = id - this.lastIds[this.lastIds.length - 1];
    if (delta > 0 && delta <= 15) this.out.u8((delta << 4) | type);
    else {
      this.out.u8(type);
      this.out.varint(zigzag(id));
    }
    this.lastIds[this.lastIds.length - 1] = id;
  }
}

/** Zigzag of an integer up to 2^52 in magnitude, as a number (not 32-bit arithmetic). */
function zigzag(v: number): number {
  return v >= 0 ? v * 2 : -v * 2 - 1;
}
