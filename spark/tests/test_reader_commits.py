"""The reader reads what the commit protocol says has landed, each file once, with every column it holds;
and replays or a mismatched checkpoint never add a row. Real parts: pagefleet ingesting the demo API,
spark-submit, moto_server for s3a, delta-rs (deltalake) and pyarrow as the independent readers."""
import io
import json
import shutil

import boto3
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable

from pagefleet_spark import reader
from pagefleet_spark.curator import Curator
from pagefleet_spark.identity import claim

from conftest import curated, events, pagefleet, pagefleet_bg, reader_args, spark_submit, write_job


class Landing:
    """The landing zone's keys, on a folder or in a bucket: what a stray process or a person could do to it."""

    def __init__(self, root, s3=None, bucket=None, prefix=None):
        self.root, self.s3, self.bucket, self.prefix = root, s3, bucket, prefix

    def keys(self, under):
        if self.s3 is None:
            return sorted(str(p.relative_to(self.root)) for p in (self.root / under).rglob("*") if p.is_file())
        pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=f"{self.prefix}/{under}")
        return sorted(o["Key"][len(self.prefix) + 1:] for page in pages for o in page.get("Contents", []))

    def get(self, key):
        if self.s3 is None:
            return (self.root / key).read_bytes()
        return self.s3.get_object(Bucket=self.bucket, Key=f"{self.prefix}/{key}")["Body"].read()

    def put(self, key, body):
        if self.s3 is None:
            (self.root / key).parent.mkdir(parents=True, exist_ok=True)
            (self.root / key).write_bytes(body)
        else:
            self.s3.put_object(Bucket=self.bucket, Key=f"{self.prefix}/{key}", Body=body)


def landing_for(store, workdir, moto):
    if store == "folder":
        return workdir / "landing", {}, Landing(workdir / "landing")
    moto.create_bucket("commits")
    s3 = boto3.client("s3", endpoint_url=moto.endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
    return "s3://commits/lake", moto.env, Landing(None, s3, "commits", "lake")


@pytest.mark.parametrize("store", ["folder", "s3"])
def test_orphans_copies_and_voided_files_never_reach_the_table(workdir, demo_api, moto, store):
    root, env, landing = landing_for(store, workdir, moto)
    api = demo_api("--size", 1000, "--per-page", 50, "--seed", 11)
    job = write_job(workdir / "job.yaml", api.url, root, formats="parquet")
    assert pagefleet(["ingest", str(job), "--executors", "2", "--run-id", "r1"], env=env).returncode == 0

    markers = landing.keys("_pagefleet/movies/landed/parquet/run_id=r1/")
    commits = [json.loads(landing.get(k)) for k in markers]
    assert len(commits) >= 4
    copied, voided = commits[0], commits[1]
    folder = copied["file"].rsplit("/", 1)[0]
    # a second copy of a committed file beside it (an executor index run twice, a retried PUT) ...
    landing.put(f"{folder}/part-e000-c0ffee-b{copied['block']:07d}-0001.parquet", landing.get(copied["file"]))
    # ... and, by hand, a marker for it: no commit entry of its block names that file
    landing.put(f"_pagefleet/movies/landed/parquet/run_id=r1/part-e000-c0ffee-b{copied['block']:07d}-0001.parquet.json",
                json.dumps({**copied, "file": f"{folder}/part-e000-c0ffee-b{copied['block']:07d}-0001.parquet"}).encode())
    # an orphan: a data file no commit names, with records of its own
    orphan = io.BytesIO()
    pq.write_table(pa.table({"id": [999_999], "title": ["orphan"]}), orphan)
    landing.put(f"{folder}/part-e001-0dd000-b0000000-0009.parquet", orphan.getvalue())
    # a committed file voided after its marker was written (repair found it wrong, before deleting the marker)
    log_dir = f"_pagefleet/movies/run_id=r1/blocks/b{voided['block']:07d}/"
    version = len(landing.keys(log_dir)) + 1
    landing.put(f"{log_dir}{version:06d}.json", json.dumps({"kind": "void", "file": voided["file"], "reason": "test", "at": ""}).encode())

    r = spark_submit(reader_args(root, workdir, extra=["--max-files-per-trigger", "3"]), env=env)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    skipped = {e["file"]: e["reason"] for e in events(r.stdout) if e["event"] == "skipped"}
    assert skipped == {f"{folder}/part-e000-c0ffee-b{copied['block']:07d}-0001.parquet": "uncommitted", voided["file"]: "voided"}
    t = curated(workdir / "table")
    ids = t.column("id").to_pylist()
    assert 999_999 not in ids, "the orphan is not in the table"
    assert len(ids) == len(set(ids)), "the copy is not in the table"
    pages = set(t.column("_pf_page").to_pylist())
    assert pages == set(range(1, 21)) - set(voided["pages"]), "every counted page, and none of the voided file's"
    assert len(ids) == 1000 - voided["records"]


def drop_fields(schema_path, names):
    schema = json.loads(schema_path.read_text())
    schema["fields"] = [f for f in schema["fields"] if f["name"] not in names]
    schema_path.write_text(json.dumps(schema))


def test_two_runs_adding_different_columns_at_once_both_survive(workdir, demo_api):
    """Two runs write the dataset at the same time, one adding tagline (drift), the other echo (a field the
    API copies from a query parameter); schema.json is then left without either (a lost update between
    their read-merge-writes). Both columns reach the table with their values, whichever batches hold them."""
    root = workdir / "landing"
    drifting = demo_api("--size", 600, "--per-page", 50, "--seed", 12, "--drift-after-page", 2, "--latency", 20)
    echoing = demo_api("--size", 600, "--per-page", 50, "--seed", 12, "--echo-param", "tag", "--latency", 20)
    job_a = write_job(workdir / "a.yaml", drifting.url, root, formats="parquet", extra="limits: { rate: 10 }")
    job_b = write_job(workdir / "b.yaml", echoing.url, root, formats="parquet", extra="limits: { rate: 10 }")
    job_b.write_text(job_b.read_text().replace("records: results", 'records: results, params: { tag: "from-b" }'))
    runs = [pagefleet_bg(["ingest", str(job), "--executors", "2", "--run-id", run]) for job, run in ((job_a, "a"), (job_b, "b"))]
    for p in runs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    drop_fields(root / "_pagefleet/movies/schema.json", {"tagline", "echo"})

    r = spark_submit(reader_args(root, workdir, extra=["--max-files-per-trigger", "4"]))
    assert r.returncode == 0, r.stdout[-3000:]
    rows = curated(workdir / "table").select(["_pf_run_id", "_pf_page", "tagline", "echo"]).to_pylist()
    assert len(rows) == 1200
    a = [x for x in rows if x["_pf_run_id"] == "a"]
    b = [x for x in rows if x["_pf_run_id"] == "b"]
    assert all(x["tagline"] for x in a if x["_pf_page"] > 2) and all(x["echo"] is None for x in a)
    assert all(x["echo"] == "from-b" for x in b) and all(x["tagline"] is None for x in b)


def last_batch(checkpoint):
    return max(int(p.name) for p in (checkpoint / "commits").iterdir() if p.name.isdigit())


def test_a_replayed_batch_adds_nothing_and_a_reset_checkpoint_is_refused(workdir, demo_api):
    """The checkpoint as it was before its last batch committed (the batch reached Delta, the process died
    before Spark recorded it): the restart runs that batch again and Delta skips it. Then the checkpoint
    is deleted and recreated: refused, exit 2, the table untouched."""
    root = workdir / "landing"
    api = demo_api("--size", 1000, "--per-page", 50, "--seed", 13)
    assert pagefleet(["ingest", str(write_job(workdir / "job.yaml", api.url, root, formats="parquet")), "--executors", "2"]).returncode == 0
    extra = ["--max-files-per-trigger", "5"]
    first = spark_submit(reader_args(root, workdir, extra=extra))
    assert first.returncode == 0, first.stdout[-3000:]
    checkpoint = workdir / "checkpoint"
    n = last_batch(checkpoint)
    assert n >= 1
    version, rows = DeltaTable(str(workdir / "table")).version(), curated(workdir / "table").num_rows
    assert rows == 1000
    for name in (str(n), f".{n}.crc"):
        (checkpoint / "commits" / name).unlink(missing_ok=True)

    again = spark_submit(reader_args(root, workdir, extra=extra))
    assert again.returncode == 0, again.stdout[-3000:]
    assert [e["batch_id"] for e in events(again.stdout) if e["event"] == "replayed"] == [n], "Spark ran the batch again"
    assert last_batch(checkpoint) == n
    assert DeltaTable(str(workdir / "table")).version() == version, "Delta skipped it: no commit"
    assert curated(workdir / "table").num_rows == rows

    shutil.rmtree(checkpoint)
    reset = spark_submit(reader_args(root, workdir, extra=extra))
    assert reset.returncode == 2
    [line] = [x for x in (reset.stdout + reset.stderr).splitlines() if x.startswith("reader.py: ")]
    assert line.startswith(f"reader.py: --checkpoint: {checkpoint} ") and str(workdir / "table") in line
    assert "delete both" in line and "point --checkpoint back" in line
    assert DeltaTable(str(workdir / "table")).version() == version
    assert not checkpoint.exists() or not list(checkpoint.glob("commits/*")), "nothing was streamed"


def test_a_replayed_key_merge_adds_nothing(spark, workdir, demo_api):
    """--key MERGE, replayed: the batch function called twice with the same batch id, as Spark does after a
    crash between the Delta commit and its own (in this process's Spark session, on the real landing
    zone and table). backdrop_path is null in about 5% of records; those rows are inserted by every MERGE
    that runs, so the same batch under a new id shows what the txn ids prevent."""
    root = workdir / "landing"
    api = demo_api("--size", 500, "--per-page", 50, "--seed", 14)
    assert pagefleet(["ingest", str(write_job(workdir / "job.yaml", api.url, root, formats="parquet")), "--executors", "2"]).returncode == 0
    args = reader.parse_args(reader_args(root, workdir, extra=["--key", "backdrop_path"]))
    paths = reader.dataset_paths(str(root), "movies", "parquet")
    writer_id = claim(spark, args.output, args.checkpoint)
    spark.conf.set("spark.databricks.delta.schema.autoMerge.enabled", "true")  # as reader.stream sets it
    curator = Curator(spark, reader.target(args), str(root), paths["schema"], writer_id)
    batch = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(paths["landed"])

    def state():
        t = DeltaTable(args.output)
        return t.version(), t.to_pyarrow_table().num_rows

    curator(batch, 0)
    version, rows = state()
    nulls = curated(args.output).column("backdrop_path").null_count
    assert nulls > 0 and rows <= 500
    curator(batch, 0)
    assert state() == (version, rows), "the replay is skipped: no commit, no row"
    curator(batch, 1)
    assert state() == (version + 1, rows + nulls), "the same rows under a new batch id: the null keys again"
