"""Independent read-back of a landing zone: pyarrow for Parquet, DuckDB for NDJSON.

usage: readback.py ROOT DATASET FORMAT  ->  prints one JSON object

ROOT is a local folder or s3://bucket/prefix. For S3 (endpoint and credentials from the AWS_* env),
every object under PREFIX/DATASET/FORMAT/ is downloaded to a temp dir and read the same way;
temp_files then lists hidden keys ('.'-prefixed basename) under PREFIX/DATASET/FORMAT/ and every
unfinished multipart upload under PREFIX as "multipart:<key>".
"""
import glob
import json
import os
import sys
import tempfile


def summarize(base):
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
    return {
        "files": len(files),
        "count": len(ids),
        "distinct": len(set(ids)),
        "min": min(ids) if ids else None,
        "max": max(ids) if ids else None,
        "types": types,
    }


def s3_summary(root):
    import boto3
    from botocore.config import Config

    bucket, _, prefix = root[len("s3://"):].partition("/")
    prefix = prefix.strip("/")
    root_prefix = f"{prefix}/" if prefix else ""
    data_prefix = f"{root_prefix}{dataset}/{fmt}/"
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL"),
        region_name=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        config=Config(s3={"addressing_style": "path"}),
    )
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=data_prefix):
        keys += [o["Key"] for o in page.get("Contents", [])]
    temp = [k for k in keys if os.path.basename(k).startswith(".")]
    for page in s3.get_paginator("list_multipart_uploads").paginate(Bucket=bucket, Prefix=root_prefix):
        temp += [f"multipart:{u['Key']}" for u in page.get("Uploads", [])]
    with tempfile.TemporaryDirectory(prefix="pf-readback-") as tmp:
        for key in keys:
            if key.endswith("/"):
                continue
            local = os.path.join(tmp, key[len(root_prefix):])
            os.makedirs(os.path.dirname(local), exist_ok=True)
            s3.download_file(bucket, key, local)
        out = summarize(os.path.join(tmp, dataset, fmt))
    return {**out, "temp_files": temp}


root, dataset, fmt = sys.argv[1:4]
if root.startswith("s3://"):
    result = s3_summary(root)
else:
    base = os.path.join(root, dataset, fmt)
    result = {**summarize(base), "temp_files": [p for p in glob.glob(f"{base}/**/.*", recursive=True)]}
print(json.dumps(result))
