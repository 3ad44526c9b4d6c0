"""Independent read-back of a landing zone: pyarrow for Parquet, DuckDB for NDJSON.

usage: readback.py ROOT DATASET FORMAT  ->  prints one JSON object
"""
import glob
import json
import os
import sys

root, dataset, fmt = sys.argv[1:4]
base = os.path.join(root, dataset, fmt)

if fmt == "parquet":
    import pyarrow.dataset as ds

    files = sorted(glob.glob(f"{base}/**/*.parquet", recursive=True))
    table = ds.dataset(files, format="parquet").to_table(columns=["id", "_pf_run_id", "_pf_page", "_pf_fetched_at"]) if files else None
    ids = table.column("id").to_pylist() if table is not None else []
    types = {f.name: str(f.type) for f in table.schema} if table is not None else {}
else:
    import duckdb

    files = sorted(glob.glob(f"{base}/**/*.ndjson.gz", recursive=True))
    ids = []
    types = {}
    if files:
        rel = duckdb.sql(f"select id, _pf_run_id, _pf_page from read_json_auto({files!r}, format='newline_delimited')")
        ids = [r[0] for r in rel.fetchall()]
        types = dict(zip(rel.columns, [str(t) for t in rel.types]))

hidden = [p for p in glob.glob(f"{base}/**/.*", recursive=True)]
print(json.dumps({
    "files": len(files),
    "count": len(ids),
    "distinct": len(set(ids)),
    "min": min(ids) if ids else None,
    "max": max(ids) if ids else None,
    "types": types,
    "temp_files": hidden,
}))
