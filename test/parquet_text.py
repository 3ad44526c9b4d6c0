"""Decodes Parquet files to text with pyarrow, so a test can look for strings inside them.

usage: parquet_text.py FILE...  ->  one JSON object per file: {"file": FILE, "text": "..."}

The text holds the schema (with its metadata), the file's key-value metadata and every row as JSON
(non-ASCII kept as is); compressed or dictionary-encoded strings are therefore searchable.
"""
import json
import sys

import pyarrow.parquet as pq

for path in sys.argv[1:]:
    f = pq.ParquetFile(path)
    meta = f.metadata.metadata or {}
    parts = [
        str(f.schema_arrow),
        json.dumps({k.decode("utf-8", "replace"): v.decode("utf-8", "replace") for k, v in meta.items()}, ensure_ascii=False),
        json.dumps(f.read().to_pylist(), ensure_ascii=False, default=str),
    ]
    print(json.dumps({"file": path, "text": "\n".join(parts)}))
