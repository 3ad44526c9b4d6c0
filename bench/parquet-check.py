"""Bench helper: independent check of a Parquet file written by a candidate, with pyarrow (+ DuckDB).

usage: parquet-check.py FILE EXPECTED.json   -> prints {"ok": bool, "failures": [...]} as JSON
EXPECTED: {"rows": N, "run_id": str, "samples": [{"index", "page", "fetched_at_us", "updated_at_us", "record"}]}
"""
import json
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

path, expected_path = sys.argv[1], sys.argv[2]
exp = json.load(open(expected_path))
t = pq.read_table(path)
fails = []

def check(cond, msg):
    if not cond:
        fails.append(msg)

TS = pa.timestamp("us", tz="UTC")
check(t.num_rows == exp["rows"], f"rows {t.num_rows} != {exp['rows']}")
want_types = {
    "id": pa.int64(), "title": pa.string(), "release_date": pa.string(), "updated_at": TS,
    "popularity": pa.float64(), "vote_count": pa.int64(), "adult": pa.bool_(),
    "genre_ids": pa.list_(pa.int64()), "poster_path": pa.string(), "keywords": pa.list_(pa.string()),
    "production": pa.struct([("budget", pa.int64()), ("revenue", pa.int64()), ("countries", pa.list_(pa.string()))]),
    "_pf_run_id": pa.string(), "_pf_page": pa.int64(), "_pf_fetched_at": TS,
}
for name, want in want_types.items():
    if name not in t.schema.names:
        fails.append(f"missing column {name}")
        continue
    got = t.schema.field(name).type
    # compare ignoring list element field names / nullability flags
    check(str(got).replace("item:", "element:") == str(want).replace("item:", "element:"), f"{name}: {got} != {want}")

updated_us = t.column("updated_at").cast(pa.int64())
fetched_us = t.column("_pf_fetched_at").cast(pa.int64())
null_elements = 0
for s in exp["samples"]:
    i = s["index"]
    row = t.slice(i, 1).to_pylist()[0]
    rec = s["record"]
    for k in ["id", "title", "overview", "release_date", "popularity", "vote_count", "adult",
              "genre_ids", "poster_path", "keywords", "production"]:
        check(row.get(k) == rec[k], f"row {i} {k}: {row.get(k)!r} != {rec[k]!r}")
    check(updated_us[i].as_py() == int(s["updated_at_us"]), f"row {i} updated_at {updated_us[i]} != {s['updated_at_us']}")
    check(fetched_us[i].as_py() == int(s["fetched_at_us"]), f"row {i} _pf_fetched_at")
    check(row["_pf_page"] == s["page"], f"row {i} _pf_page {row['_pf_page']} != {s['page']}")
    check(row["_pf_run_id"] == exp["run_id"], f"row {i} _pf_run_id")
    null_elements += sum(1 for k in (row.get("keywords") or []) if k is None)
check(null_elements > 0, "no null list element found in sampled rows")

# A second independent reader: DuckDB must see the same rows.
d = duckdb.sql(f"select count(*), sum(len(keywords)), sum(production.revenue), typeof(any_value(updated_at)) from '{path}'").fetchall()[0]
a = (t.num_rows, sum(len(k or []) for k in t.column("keywords").to_pylist()),
     sum(p["revenue"] for p in t.column("production").to_pylist() if p), "TIMESTAMP WITH TIME ZONE")
check(tuple(d) == a, f"duckdb {d} != pyarrow {a}")
print(json.dumps({"ok": not fails, "failures": fails[:20]}))
