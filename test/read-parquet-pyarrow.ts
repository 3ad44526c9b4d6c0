/** Test helper: reads Parquet bytes with pyarrow (an independent reader) in the project's venv. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The venv python: `PAGEFLEET_PYTHON`, else `<repo>/.venv/bin/python` (this file is dist/test/). */
export const PYTHON = process.env.PAGEFLEET_PYTHON ?? fileURLToPath(new URL('../../.venv/bin/python', import.meta.url));

const SCRIPT = `
import datetime, json, sys
import pyarrow.parquet as pq
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
def conv(v):
    if isinstance(v, datetime.datetime):
        return conv((v - EPOCH) // datetime.timedelta(microseconds=1))
    if isinstance(v, dict):
        return {k: conv(x) for k, x in v.items()}
    if isinstance(v, list):
        return [conv(x) for x in v]
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**53:
        return str(v)  # beyond a double: as text, so the test compares it exactly
    return v
f = pq.ParquetFile(sys.argv[1])
t = f.read()
def stats(s):
    if s is None:
        return None
    out = {"null_count": s.null_count}
    if s.has_min_max:
        out["min"], out["max"] = conv(s.min), conv(s.max)
    return out
md = f.metadata
print(json.dumps({"num_rows": t.num_rows, "row_groups": md.num_row_groups,
                  "stats": [{md.row_group(g).column(c).path_in_schema: stats(md.row_group(g).column(c).statistics)
                             for c in range(md.num_columns)} for g in range(md.num_row_groups)],
                  "types": {x.name: str(x.type) for x in t.schema},
                  "rows": [conv(r) for r in t.to_pylist()] if sys.argv[2] == "rows" else []}))
`;

export interface PyarrowTable {
  num_rows: number;
  row_groups: number;
  /** pyarrow type strings, e.g. `timestamp[us, tz=UTC]`, `int64`, `list<element: string>`. */
  types: Record<string, string>;
  /** Per row group, each leaf column's statistics by dotted path (min and max only when written). */
  stats: Record<string, { null_count: number; min?: unknown; max?: unknown } | null>[];
  /** Rows as pyarrow sees them (empty if not asked for); timestamps as epoch microseconds, integers beyond 2^53 as text. */
  rows: Record<string, unknown>[];
}

export function readParquetWithPyarrow(bytes: Uint8Array, withRows = true): PyarrowTable {
  const dir = mkdtempSync(join(tmpdir(), 'pf-pq-'));
  try {
    const file = join(dir, 'f.parquet');
    writeFileSync(file, bytes);
    const p = spawnSync(PYTHON, ['-c', SCRIPT, file, withRows ? 'rows' : 'meta'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    if (p.error) throw new Error(`cannot run ${PYTHON} (create the venv with pyarrow): ${p.error.message}`);
    if (p.status !== 0) throw new Error(`pyarrow failed to read the file:\n${p.stderr}`);
    return JSON.parse(p.stdout) as PyarrowTable;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
