/**
 * A Parquet file of one fixed schema, written row group by row group: records are shredded into column
 * buffers as pages arrive (columns.ts), and each row group is encoded into bytes the caller writes out,
 * so the writer holds one row group's encoded values, never the file.
 *
 * Layout: `PAR1`, then per row group and leaf column one data page (v1: repetition levels, definition
 * levels, PLAIN values; compressed together), then the footer (thrift FileMetaData), its length, `PAR1`.
 * Statistics: null counts for every column, min/max for INT64 and DOUBLE columns (none for strings and
 * booleans), with TYPE_DEFINED_ORDER column orders so readers trust them.
 */
import type { DataType, StructType } from '../types.js';
import { ByteBuffer } from './bytes.js';
import { ColumnShredder, type HeldPage, type LeafColumn, type PhysicalType } from './columns.js';
import { bitWidth, encodeLevels } from './levels.js';
import { CompactWriter, ELEMENT } from './thrift.js';

/** A file of one schema, encoded as it goes (see the module comment). */
export interface ParquetStream {
  /** Shreds one page's records into the open row group. */
  addPage(page: HeldPage): void;
  /** Rows in the open row group. */
  readonly rows: number;
  /** Encodes the open row group, if it has rows. */
  endRowGroup(): void;
  /** Encodes the open row group and the footer. */
  finish(): void;
  /** The bytes encoded since the last call, in file order. */
  takeChunks(): Uint8Array[];
}

/** A page compression: its Parquet codec and the function. */
export interface Codec {
  name: 'SNAPPY' | 'UNCOMPRESSED';
  compress(bytes: Uint8Array): Uint8Array;
}

export const UNCOMPRESSED: Codec = { name: 'UNCOMPRESSED', compress: (b) => b.slice() };

const MAGIC = Buffer.from('PAR1');
const CREATED_BY = 'pagefleet';

// parquet.thrift enums
const TYPE: Readonly<Record<PhysicalType, number>> = { BOOLEAN: 0, INT64: 2, DOUBLE: 5, BYTE_ARRAY: 6 };
const CODEC = { UNCOMPRESSED: 0, SNAPPY: 1 } as const;
const ENCODING = { PLAIN: 0, RLE: 3 } as const;
const DATA_PAGE = 0;
const REPETITION = { OPTIONAL: 1, REPEATED: 2 } as const;
const CONVERTED = { UTF8: 0, LIST: 3, TIMESTAMP_MICROS: 10 } as const;

/** What the footer says of one column chunk. */
interface ChunkMeta {
  leaf: Pick<LeafColumn, 'path' | 'physical'>;
  offset: number;
  levels: number;
  uncompressedBytes: number;
  compressedBytes: number;
  nulls: number;
  /** 8-byte min and max, when known exactly. */
  minMax?: [Uint8Array, Uint8Array];
}

interface RowGroupMeta {
  columns: ChunkMeta[];
  rows: number;
  offset: number;
  uncompressedBytes: number;
  compressedBytes: number;
}

export function parquetFileWriter(schema: StructType, codec: Codec): ParquetStream {
  return new ParquetFileWriter(schema, codec);
}

class ParquetFileWriter implements ParquetStream {
  private readonly shredder: ColumnShredder;
  /** Encoded bytes not yet taken. */
  private readonly out = new ByteBuffer(64 * 1024);
  /** File offset of `out`'s first byte. */
  private outStart = 0;
  /** Scratch: one page's uncompressed body. */
  private readonly body = new ByteBuffer(64 * 1024);
  private readonly rowGroups: RowGroupMeta[] = [];

  constructor(
    private readonly schema: StructType,
    private readonly codec: Codec,
  ) {
    this.shredder = new ColumnShredder(schema);
    this.out.bytes(MAGIC);
  }

  get rows(): number {
    return this.shredder.rows;
  }

  addPage(page: HeldPage): void {
    this.shredder.addPage(page);
  }

  endRowGroup(): void {
    const rows = this.shredder.rows;
    if (rows === 0) return;
    const offset = this.offset;
    const columns = this.shredder.leaves.map((leaf) => this.writeChunk(leaf));
    const uncompressedBytes = columns.reduce((n, c) => n + c.uncompressedBytes, 0);
    this.rowGroups.push({ columns, rows, offset, uncompressedBytes, compressedBytes: this.offset - offset });
    this.shredder.reset();
  }

  finish(): void {
    this.endRowGroup();
    const footerStart = this.out.length;
    writeFooter(new CompactWriter(this.out), this.schema, this.rowGroups, this.codec);
    this.out.u32(this.out.length - footerStart);
    this.out.bytes(MAGIC);
  }

  takeChunks(): Uint8Array[] {
    if (this.out.length === 0) return [];
    const chunk = this.out.copy();
    this.outStart += this.out.length;
    this.out.reset();
    return [chunk];
  }

  private get offset(): number {
    return this.outStart + this.out.length;
  }

  /** One column chunk: a single data page holding the leaf's levels and values. */
  private writeChunk(leaf: LeafColumn): ChunkMeta {
    const body = this.body;
    body.reset();
    if (leaf.maxRep > 0) lengthPrefixedLevels(body, leaf.reps.data, leaf.levelCount, leaf.maxRep);
    lengthPrefixedLevels(body, leaf.defs.data, leaf.levelCount, leaf.maxDef);
    body.bytes(leaf.encodedValues());
    const raw = body.written();
    const compressed = this.codec.compress(raw);
    const offset = this.offset;
    const headerStart = this.out.length;
    new CompactWriter(this.out).structValue((w) =>
      w
        .i32(1, DATA_PAGE)
        .i32(2, raw.length)
        .i32(3, compressed.length)
        .struct(5, (h) => h.i32(1, leaf.levelCount).i32(2, ENCODING.PLAIN).i32(3, ENCODING.RLE).i32(4, ENCODING.RLE)),
    );
    const headerBytes = this.out.length - headerStart;
    this.out.bytes(compressed);
    return {
      leaf: { path: leaf.path, physical: leaf.physical },
      offset,
      levels: leaf.levelCount,
      uncompressedBytes: headerBytes + raw.length,
      compressedBytes: headerBytes + compressed.length,
      nulls: leaf.nullCount(),
      minMax: minMax(leaf),
    };
  }
}

/** v1 data page levels: their byte length (4 bytes), then the RLE / bit-packed hybrid. */
function lengthPrefixedLevels(body: ByteBuffer, levels: Uint8Array, count: number, maxLevel: number): void {
  const lengthAt = body.length;
  body.u32(0);
  encodeLevels(levels, count, bitWidth(maxLevel), body);
  body.setU32(lengthAt, body.length - lengthAt - 4);
}

/** 8-byte little-endian min and max of an INT64 or DOUBLE leaf, when every value was an exact number. */
function minMax(leaf: LeafColumn): [Uint8Array, Uint8Array] | undefined {
  if (!leaf.statsExact || leaf.valueCount === 0) return undefined;
  const b = new ByteBuffer(16);
  if (leaf.physical === 'INT64') {
    b.i64(leaf.min);
    b.i64(leaf.max);
  } else if (leaf.physical === 'DOUBLE') {
    // the spec's rule for zeros: a min of 0 is written -0.0, a max of 0 is +0.0
    b.f64(leaf.min === 0 ? -0 : leaf.min);
    b.f64(leaf.max === 0 ? 0 : leaf.max);
  } else {
    return undefined;
  }
  const both = b.copy();
  return [both.subarray(0, 8), both.subarray(8, 16)];
}

function writeFooter(w: CompactWriter, schema: StructType, rowGroups: RowGroupMeta[], codec: Codec): void {
  const elements: ((w: CompactWriter) => void)[] = [(e) => e.binary(4, 'schema').i32(5, schema.fields.length)];
  for (const f of schema.fields) pushElements(elements, f.name, f.type);
  const leaves = rowGroups[0]?.columns.length ?? countLeaves(schema);
  w.structValue((m) =>
    m
      .i32(1, 1)
      .list(2, ELEMENT.struct, elements, (l, e) => l.structValue(e))
      .i64(3, rowGroups.reduce((n, g) => n + g.rows, 0))
      .list(4, ELEMENT.struct, rowGroups, (l, g) => l.structValue((r) => writeRowGroup(r, g, codec)))
      .binary(6, CREATED_BY)
      // column_orders: TYPE_DEFINED_ORDER (an empty struct in union field 1) for every leaf
      .list(7, ELEMENT.struct, Array.from({ length: leaves }), (l) => l.structValue((o) => o.struct(1, () => {}))),
  );
}

function writeRowGroup(r: CompactWriter, g: RowGroupMeta, codec: Codec): void {
  r.list(1, ELEMENT.struct, g.columns, (l, c) =>
    l.structValue((cc) =>
      cc.i64(2, c.offset).struct(3, (m) => {
        m.i32(1, TYPE[c.leaf.physical])
          .list(2, ELEMENT.i32, [ENCODING.PLAIN, ENCODING.RLE], (x, e) => x.i32Value(e))
          .list(3, ELEMENT.binary, c.leaf.path, (x, p) => x.binaryValue(p))
          .i32(4, CODEC[codec.name])
          .i64(5, c.levels)
          .i64(6, c.uncompressedBytes)
          .i64(7, c.compressedBytes)
          .i64(9, c.offset)
          .struct(12, (s) => {
            s.i64(3, c.nulls);
            if (c.minMax) s.binary(5, c.minMax[1]).binary(6, c.minMax[0]);
          });
      }),
    ),
  );
  r.i64(2, g.uncompressedBytes).i64(3, g.rows).i64(5, g.offset).i64(6, g.compressedBytes);
}

/** The schema elements of one field, depth first (every field OPTIONAL; lists the standard 3 levels). */
function pushElements(out: ((w: CompactWriter) => void)[], name: string, t: DataType): void {
  switch (t.kind) {
    case 'struct':
      out.push((e) => e.i32(3, REPETITION.OPTIONAL).binary(4, name).i32(5, t.fields.length));
      for (const f of t.fields) pushElements(out, f.name, f.type);
      return;
    case 'list':
      out.push((e) => e.i32(3, REPETITION.OPTIONAL).binary(4, name).i32(5, 1).i32(6, CONVERTED.LIST).struct(10, (l) => l.struct(3, () => {})));
      out.push((e) => e.i32(3, REPETITION.REPEATED).binary(4, 'list').i32(5, 1));
      pushElements(out, 'element', t.element);
      return;
    case 'long':
      out.push((e) => e.i32(1, TYPE.INT64).i32(3, REPETITION.OPTIONAL).binary(4, name));
      return;
    case 'double':
      out.push((e) => e.i32(1, TYPE.DOUBLE).i32(3, REPETITION.OPTIONAL).binary(4, name));
      return;
    case 'boolean':
      out.push((e) => e.i32(1, TYPE.BOOLEAN).i32(3, REPETITION.OPTIONAL).binary(4, name));
      return;
    case 'string':
    case 'json':
      out.push((e) =>
        e.i32(1, TYPE.BYTE_ARRAY).i32(3, REPETITION.OPTIONAL).binary(4, name).i32(6, CONVERTED.UTF8).struct(10, (l) => l.struct(1, () => {})),
      );
      return;
    case 'timestamp':
      // TIMESTAMP(isAdjustedToUTC = true, unit = MICROS): logical type union field 8, unit union field 2
      out.push((e) =>
        e
          .i32(1, TYPE.INT64)
          .i32(3, REPETITION.OPTIONAL)
          .binary(4, name)
          .i32(6, CONVERTED.TIMESTAMP_MICROS)
          .struct(10, (l) => l.struct(8, (ts) => ts.bool(1, true).struct(2, (u) => u.struct(2, () => {})))),
      );
      return;
    case 'null':
      throw new TypeError(`field ${name} has no writable type`);
  }
}

function countLeaves(t: DataType): number {
  if (t.kind === 'struct') return t.fields.reduce((n, f) => n + countLeaves(f.type), 0);
  if (t.kind === 'list') return countLeaves(t.element);
  return 1;
}
