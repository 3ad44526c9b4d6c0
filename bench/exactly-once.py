"""Bench helper: independent read-back of what a baseline wrote, for the exactly-once check.

usage: exactly-once.py json-pages DIR   one JSON array of records per *.json file (the seed baseline)
       exactly-once.py ndjson-gz DIR    every *.ndjson.gz under DIR, read by DuckDB (the bare fetcher)
prints {"files", "count", "distinct", "min", "max"} of the records' `id`. pagefleet's landing zone is read
by test/readback.py (pyarrow for Parquet, DuckDB for NDJSON).
"""
import glob
import json
import sys


def json_pages(root):
    files = sorted(glob.glob(f"{root}/*.json"))
    ids = []
    for path in files:
        with open(path) as f:
            ids += [record["id"] for record in json.load(f)]
    return files, ids


def ndjson_gz(root):
    import duckdb

    files = sorted(glob.glob(f"{root}/**/*.ndjson.gz", recursive=True))
    if not files:
        return files, []
    rows = duckdb.sql(f"select id from read_json_auto({files!r}, format='newline_delimited')").fetchall()
    return files, [r[0] for r in rows]


kind, root = sys.argv[1:3]
files, ids = {"json-pages": json_pages, "ndjson-gz": ndjson_gz}[kind](root)
print(json.dumps({
    "files": len(files),
    "count": len(ids),
    "distinct": len(set(ids)),
    "min": min(ids) if ids else None,
    "max": max(ids) if ids else None,
}))
