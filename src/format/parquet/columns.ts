/**
 * Record shredding: records of a writable schema are walked once and their values appended, already
 * encoded (PLAIN), to one buffer per leaf column, with their definition and repetition levels (the Dremel
 * encoding of optional, nested and repeated values). Nothing is allocated per value but the values' own
 * JSON text for `json` columns; the buffers are reused by the next row group.
 *
 * Every field is OPTIONAL; a list is the standard 3-level LIST (`optional group (LIST) { repeated group
 * list { optional element } }`). A value that does not fit its column's type throws a TypeError: the type
 * was inferred from the same values, so that is a bug, never data to drop.
 */
import { asRecordObject, isPlainObject } from '../observe.js';
import { jsonText, ownValue } from '../values.js';
import { scanIso, type Instant } from '../timestamp.js';
import type { DataType, PageInput, ScalarKind, StructType } from '../types.js';
import { ByteBuffer } from './bytes.js';

/** What shredding needs of a page: its records and where they came from. */
export type HeldPage = Pick<PageInput, 'records' | 'prov'>;

/** Parquet physical types of the leaf kinds. */
export type PhysicalType = 'INT64' | 'DOUBLE' | 'BOOLEAN' | 'BYTE_ARRAY';

const PHYSICAL: Readonly<Record<Exclude<ScalarKind, 'null'>, PhysicalType>> = {
  long: 'INT64',
  timestamp: 'INT64',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  string: 'BYTE_ARRAY',
  json: 'BYTE_ARRAY',
};

/** Levels of one leaf, one byte each (levels here are at most 2 × nesting depth). */
class Levels {
  data = new Uint8Array(1024);
  count = 0;

  push(v: number): void {
    if (this.count === this.data.length) {
      const grown = new Uint8Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.count++] = v;
  }
}

const instant: Instant = { seconds: 0, micros: 0 };
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** One leaf column of the open row group: its encoded values, levels and statistics. */
export class LeafColumn {
  readonly physical: PhysicalType;
  readonly values = new ByteBuffer();
  readonly defs = new Levels();
  readonly reps = new Levels();
  /** Non-null values. */
  valueCount = 0;
  /** min and max of INT64 and DOUBLE values, while every value was an exact number. */
  min = Infinity;
  max = -Infinity;
  statsExact = true;
  /** BOOLEAN values are bit-packed, LSB first: the byte being filled and its next bit. */
  private boolByte = 0;
  private bit = 0;

  constructor(
    /** Dotted path from the root (`production.countries.list.element`), as `path_in_schema` splits it. */
    readonly path: readonly string[],
    readonly kind: Exclude<ScalarKind, 'null'>,
    readonly maxDef: number,
    readonly maxRep: number,
  ) {
    this.physical = PHYSICAL[kind];
  }

  /** A null (or an absent or empty ancestor) at level `def`. */
  absent(def: number, rep: number): void {
    this.defs.push(def);
    if (this.maxRep > 0) this.reps.push(rep);
  }

  /** A value, converted to the column's type and appended. */
  present(v: unknown, rep: number): void {
    switch (this.kind) {
      case 'long':
        this.putLong(v);
        break;
      case 'double': {
        if (typeof v !== 'number' && typeof v !== 'bigint') throw misfit(this.kind, v);
        const d = Number(v);
        this.putNumber(d);
        this.values.f64(d);
        break;
      }
      case 'boolean':
        if (typeof v !== 'boolean') throw misfit(this.kind, v);
        this.putBit(v);
        break;
      case 'string':
        if (typeof v === 'string') this.values.lengthPrefixedUtf8(v);
        else if (typeof v === 'bigint') this.values.lengthPrefixedUtf8(v.toString());
        else throw misfit(this.kind, v);
        break;
      case 'json':
        this.values.lengthPrefixedUtf8(typeof v === 'string' ? v : jsonText(v));
        break;
      case 'timestamp':
        this.putTimestamp(v);
        break;
    }
    this.valueCount++;
    this.defs.push(this.maxDef);
    if (this.maxRep > 0) this.reps.push(rep);
  }

  get levelCount(): number {
    return this.defs.count;
  }

  /** The PLAIN-encoded values of the row group (a partly filled last BOOLEAN byte included). */
  encodedValues(): Uint8Array {
    if (this.bit > 0) {
      this.values.u8(this.boolByte);
      this.boolByte = 0;
      this.bit = 0;
    }
    return this.values.written();
  }

  nullCount(): number {
    return this.defs.count - this.valueCount;
  }

  /** Empties the column for the next row group, keeping its buffers. */
  reset(): void {
    this.values.reset();
    this.defs.count = 0;
    this.reps.count = 0;
    this.valueCount = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.statsExact = true;
    this.boolByte = 0;
    this.bit = 0;
  }

  private putLong(v: unknown): void {
    if (typeof v === 'number' && Number.isInteger(v)) {
      this.putInteger(v);
      return;
    }
    // a bigint, or one after a JSON round trip (a string of digits)
    const big = typeof v === 'bigint' ? v : typeof v === 'string' && /^-?\d{1,19}$/.test(v) ? BigInt(v) : undefined;
    if (big === undefined || big < INT64_MIN || big > INT64_MAX) throw misfit(this.kind, v);
    this.statsExact = false;
    this.values.i64Big(big);
  }

  private putTimestamp(v: unknown): void {
    if (v instanceof Date && Number.isFinite(v.getTime())) {
      this.putInteger(v.getTime() * 1000);
    } else if (typeof v === 'string' && scanIso(v, instant)) {
      const micros = instant.seconds * 1_000_000 + instant.micros;
      if (Number.isSafeInteger(micros)) this.putInteger(micros);
      else {
        // beyond ±2^53 µs (before 1685 or after 2255): exact in bigint arithmetic only
        this.statsExact = false;
        this.values.i64Big(BigInt(instant.seconds) * 1_000_000n + BigInt(instant.micros));
      }
    } else {
      throw misfit(this.kind, v);
    }
  }

  /** An integer-valued number as INT64; statistics stay exact only for safe integers. */
  private putInteger(v: number): void {
    if (Number.isSafeInteger(v)) this.putNumber(v);
    else this.statsExact = false;
    this.values.i64(v);
  }

  private putNumber(v: number): void {
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  private putBit(v: boolean): void {
    if (v) this.boolByte |= 1 << this.bit;
    if (++this.bit === 8) {
      this.values.u8(this.boolByte);
      this.boolByte = 0;
      this.bit = 0;
    }
  }
}

function misfit(kind: string, v: unknown): TypeError {
  return new TypeError(`value does not fit inferred type ${kind}: ${jsonText(v).slice(0, 80)}`);
}

/** A node of the schema tree, compiled for shredding. */
type Node =
  | { kind: 'leaf'; name: string; column: LeafColumn }
  | { kind: 'struct'; name: string; def: number; fields: Node[]; leaves: LeafColumn[] }
  | { kind: 'list'; name: string; def: number; rep: number; element: Node; leaves: LeafColumn[] };

/**
 * The leaf columns of a writable schema whose last three fields are the provenance columns (see
 * `withProvenance`), in schema (depth-first) order, and a writer of pages of records into them.
 */
export class ColumnShredder {
  readonly leaves: LeafColumn[] = [];
  private readonly own: Node[];
  private readonly provenance: [runId: LeafColumn, page: LeafColumn, fetchedAt: LeafColumn];
  /** Rows in the open row group. */
  rows = 0;

  constructor(schema: StructType) {
    const top = schema.fields.map((f) => this.compile(f.name, f.type, [], 0, 0));
    this.own = top.slice(0, -3);
    this.provenance = top.slice(-3).map((n) => (n as { column: LeafColumn }).column) as ColumnShredder['provenance'];
  }

  /** Appends one page's records (a record that is not an object is `{value: record}`). */
  addPage(page: HeldPage): void {
    const [runId, pageNo, fetchedAt] = this.provenance;
    for (const r of page.records) {
      const rec = asRecordObject(r);
      for (const node of this.own) this.write(node, ownValue(rec, node.name), 0, 0);
      runId.present(page.prov.runId, 0);
      pageNo.present(page.prov.page, 0);
      fetchedAt.present(page.prov.fetchedAt, 0);
    }
    this.rows += page.records.length;
  }

  /** Empties every column for the next row group. */
  reset(): void {
    for (const leaf of this.leaves) leaf.reset();
    this.rows = 0;
  }

  /** `v` at `node`, whose parent is defined up to level `parentDef`; `rep` is the level of its first leaf value. */
  private write(node: Node, v: unknown, parentDef: number, rep: number): void {
    if (v === null || v === undefined) {
      if (node.kind === 'leaf') node.column.absent(parentDef, rep);
      else for (const leaf of node.leaves) leaf.absent(parentDef, rep);
      return;
    }
    switch (node.kind) {
      case 'leaf':
        node.column.present(v, rep);
        return;
      case 'struct':
        if (!isPlainObject(v)) throw misfit('struct', v);
        for (const f of node.fields) this.write(f, ownValue(v, f.name), node.def, rep);
        return;
      case 'list':
        if (!Array.isArray(v)) throw misfit('list', v);
        if (v.length === 0) {
          for (const leaf of node.leaves) leaf.absent(node.def, rep);
          return;
        }
        // the repeated group is defined at node.def + 1; elements after the first repeat at this list's level
        for (let i = 0; i < v.length; i++) this.write(node.element, v[i], node.def + 1, i === 0 ? rep : node.rep);
    }
  }

  /** Compiles `t` at `name`, below ancestors with `def` optional-or-repeated levels and `rep` repeated ones. */
  private compile(name: string, t: DataType, path: string[], def: number, rep: number): Node {
    const here = [...path, name];
    const first = this.leaves.length;
    const leavesSince = () => this.leaves.slice(first);
    switch (t.kind) {
      case 'struct': {
        const fields = t.fields.map((f) => this.compile(f.name, f.type, here, def + 1, rep));
        return { kind: 'struct', name, def: def + 1, fields, leaves: leavesSince() };
      }
      case 'list': {
        // optional list (def + 1), repeated group `list` (def + 2, rep + 1), optional `element`
        const element = this.compile('element', t.element, [...here, 'list'], def + 2, rep + 1);
        return { kind: 'list', name, def: def + 1, rep: rep + 1, element, leaves: leavesSince() };
      }
      case 'null':
        throw new TypeError(`field ${name} has no writable type`);
      default: {
        const column = new LeafColumn(here, t.kind, def + 1, rep);
        this.leaves.push(column);
        return { kind: 'leaf', name, column };
      }
    }
  }
}
