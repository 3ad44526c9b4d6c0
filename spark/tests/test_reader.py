"""The Spark reader against real parts: pagefleet ingesting the demo API (processes), Spark local[2]
through spark-submit, moto_server for s3a, and delta-rs (deltalake) as the independent reader."""
import json
import signal
import subprocess
import sys
import time

import pyarrow.dataset as ds
import pytest
from deltalake import DeltaTable

from conftest import curated, events, pagefleet, reader_args, spark_submit, spark_submit_bg, wait_rows, write_job


def stream_while_ingesting(workdir, demo_api, root, env=None):
    """Starts the reader on an empty landing zone, then a 2-executor ingest of about a minute: files land
    every max_file_age (10 s), and a loaded machine's Spark takes several seconds a micro-batch."""
    size = 6000
    api = demo_api("--size", size, "--per-page", 50, "--latency", 20, "--seed", 9)
    job = write_job(workdir / "job.yaml", api.url, root, extra="limits: { rate: 2, concurrency: 2 }")
    log = workdir / "reader.log"
    reader = spark_submit_bg(reader_args(root, workdir, trigger="2", extra=["--max-files-per-trigger", "4"]), env=env, log=log)
    try:
        # the reader is up and waiting for the dataset before anything exists (a JVM start takes from
        # 10 s on an idle machine to a minute on a busy one)
        deadline = time.time() + 120
        while not any(e["event"] == "waiting" for e in events(log)) and time.time() < deadline:
            time.sleep(0.5)
        started = time.time()
        ingest = pagefleet(["ingest", str(job), "--executors", "2", "--json"], env=env)
        ended = time.time()
        assert ingest.returncode == 0, ingest.stderr
        assert ended - started > 30, "the ingest runs long enough to stream beside it"
        wait_rows(workdir / "table", size)
        time.sleep(3)  # one more trigger: nothing beyond the catalogue may arrive
    finally:
        reader.send_signal(signal.SIGTERM)
        reader.wait(60)
    batches = [e for e in events(log) if e["event"] == "batch"]
    during = [b for b in batches if started < b["ts"] < ended]
    assert len(during) >= 3, f"micro-batches committed while the ingest ran: {len(during)}"
    t = curated(workdir / "table")
    ids = t.column("id").to_pylist()
    assert len(ids) == size, "exactly the catalogue"
    assert len(set(ids)) == size, "no duplicate ids"
    lags = sorted(x for b in batches for x in b["freshness_s"])
    print(f"\nfreshness over {len(lags)} files: median {lags[len(lags) // 2]:.1f} s, p95 {lags[int(len(lags) * 0.95)]:.1f} s")
    return lags


def test_streams_a_local_landing_zone_as_files_land(workdir, demo_api):
    stream_while_ingesting(workdir, demo_api, workdir / "landing")


def test_streams_s3a_as_files_land(workdir, demo_api, moto):
    moto.create_bucket("stream")
    stream_while_ingesting(workdir, demo_api, "s3a://stream/lake", env=moto.env)


def test_available_now_twice_adds_nothing_the_second_time(workdir, demo_api):
    api = demo_api("--size", 1500, "--per-page", 50, "--seed", 2)
    root = workdir / "landing"
    job = write_job(workdir / "job.yaml", api.url, root)
    assert pagefleet(["ingest", str(job), "--executors", "2"]).returncode == 0
    first = spark_submit(reader_args(root, workdir))
    assert first.returncode == 0, first.stderr[-3000:]
    table = DeltaTable(str(workdir / "table"))
    version = table.version()
    assert table.to_pyarrow_table().num_rows == 1500
    second = spark_submit(reader_args(root, workdir))
    assert second.returncode == 0, second.stderr[-3000:]
    assert not [e for e in map(json.loads, filter(lambda line: line.startswith("{"), second.stdout.splitlines())) if e["event"] == "batch"]
    assert DeltaTable(str(workdir / "table")).version() == version, "no commit"
    assert curated(workdir / "table").num_rows == 1500


def test_reader_killed_mid_stream_and_restarted_loses_and_repeats_nothing(workdir, demo_api):
    size = 3000
    api = demo_api("--size", size, "--per-page", 50, "--seed", 3)
    root = workdir / "landing"
    job = write_job(workdir / "job.yaml", api.url, root, file_target="10KiB")
    assert pagefleet(["ingest", str(job), "--executors", "2"]).returncode == 0
    log = workdir / "reader.log"
    reader = spark_submit_bg(reader_args(root, workdir, extra=["--max-files-per-trigger", "3"]), log=log)
    deadline = time.time() + 180
    while not [e for e in events(log) if e["event"] == "batch"] and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(1.5)  # kill in the middle of a later batch
    reader.send_signal(signal.SIGKILL)
    reader.wait(30)
    partial = curated(workdir / "table").num_rows
    assert 0 < partial < size, f"killed mid-stream: {partial} rows"
    again = spark_submit(reader_args(root, workdir))
    assert again.returncode == 0, again.stderr[-3000:]
    ids = curated(workdir / "table").column("id").to_pylist()
    assert len(ids) == size and len(set(ids)) == size


def test_empty_landing_zone_times_out_with_exit_3(workdir):
    r = spark_submit(reader_args(workdir / "nothing", workdir, extra=["--wait", "2"]))
    assert r.returncode == 3, r.stderr[-2000:]
    assert "reader.py: no dataset at" in r.stdout + r.stderr  # spark-submit merges python stderr into stdout


def test_bad_trigger_is_exit_2(workdir):
    r = spark_submit(reader_args(workdir / "x", workdir, trigger="soon"))
    assert r.returncode == 2
    assert "--trigger: expected available-now or a number of seconds" in r.stdout + r.stderr


@pytest.mark.parametrize("fmt", ["parquet", "ndjson"])
def test_schema_drift_new_column_appears_and_a_type_change_does_not_crash(workdir, demo_api, fmt):
    """Run 1 lands vote_count as a number; run 2's pages carry it as a string plus a new field, tagline.
    The table created by run 1 keeps vote_count's type (strings holding numbers cast back without loss)
    and gains tagline. The schema race is forced: the reader sees run 2's files and markers while
    schema.json is still run 1's (the fetcher updates it after the file), so the new column and the
    string type come from the markers' own schemas alone."""
    root = workdir / "landing"
    plain = demo_api("--size", 500, "--per-page", 50, "--seed", 6)
    job1 = write_job(workdir / "job1.yaml", plain.url, root, formats=fmt)
    assert pagefleet(["ingest", str(job1), "--run-id", "before"]).returncode == 0
    assert spark_submit(reader_args(root, workdir, fmt=fmt)).returncode == 0
    schema_json = root / "_pagefleet/movies/schema.json"
    stale = schema_json.read_text()
    drifting = demo_api("--size", 500, "--per-page", 50, "--seed", 6, "--drift-after-page", 4)
    job2 = write_job(workdir / "job2.yaml", drifting.url, root, formats=fmt)
    assert pagefleet(["ingest", str(job2), "--run-id", "after"]).returncode == 0
    assert "tagline" in schema_json.read_text() and "tagline" not in stale
    schema_json.write_text(stale)
    r = spark_submit(reader_args(root, workdir, fmt=fmt))
    assert r.returncode == 0, r.stderr[-3000:]
    t = curated(workdir / "table")
    assert t.num_rows == 1000
    assert "tagline" in t.schema.names, "the new field is a new column"
    rows = t.select(["_pf_run_id", "_pf_page", "vote_count", "tagline"]).to_pylist()
    drifted = [x for x in rows if x["_pf_run_id"] == "after" and x["_pf_page"] > 4]
    assert len(drifted) == 300 and all(x["tagline"] for x in drifted)  # pages 5..10 of 10
    assert all(x["tagline"] is None for x in rows if x not in drifted)
    assert all(isinstance(x["vote_count"], int) for x in rows), "vote_count kept the table's type, no value lost"
    if "_pf_rescued" in t.schema.names:
        assert t.column("_pf_rescued").null_count == t.num_rows, "nothing needed rescuing"


def test_drift_read_after_the_fact_widens_to_the_landing_schema(workdir, demo_api):
    """A reader that starts after the drift sees schema.json's wide type: older Parquet files, written
    with vote_count as a number, are cast file by file."""
    root = workdir / "landing"
    api = demo_api("--size", 1000, "--per-page", 50, "--seed", 8, "--drift-after-page", 10)
    job = write_job(workdir / "job.yaml", api.url, root, formats="parquet", file_target="5KiB")
    assert pagefleet(["ingest", str(job), "--executors", "1"]).returncode == 0
    r = spark_submit(reader_args(root, workdir))
    assert r.returncode == 0, r.stderr[-3000:]
    t = curated(workdir / "table")
    assert t.num_rows == 1000
    votes = t.column("vote_count").to_pylist()
    assert all(isinstance(v, str) and v.isdigit() for v in votes)


COUNT_IDS = (
    "import json, sys, pyarrow.dataset as ds; "
    "t = ds.dataset(sys.argv[1], format='parquet').to_table(columns=['id', '_pf_fetched_at']); "
    "print(json.dumps([t.num_rows, len(set(t.column('id').to_pylist()))]))"
)
"""A child Python that prints [rows, distinct ids] of the landed Parquet files (pyarrow, not Spark)."""


def test_key_keeps_the_latest_fetch_of_records_the_api_repeated(workdir, demo_api):
    """The demo API inserts records at the head while paging, so records shift into the next page and are
    fetched twice. With --key id the curated table keeps each id once: its latest fetch."""
    root = workdir / "landing"
    api = demo_api("--size", 2000, "--per-page", 50, "--seed", 10, "--insert-every", 3)
    job = write_job(workdir / "job.yaml", api.url, root, extra="limits: { concurrency: 1, rate: 50 }")
    assert pagefleet(["ingest", str(job), "--executors", "1", "--run-id", "shifty"]).returncode == 0
    landed = subprocess.run(
        [sys.executable, "-c", COUNT_IDS, str(root / "movies/parquet")],
        capture_output=True, text=True, check=True,
    )
    total, distinct = json.loads(landed.stdout)
    assert total > distinct, "the API repeated records"
    r = spark_submit(reader_args(root, workdir, extra=["--key", "id", "--max-files-per-trigger", "5"]))
    assert r.returncode == 0, r.stderr[-3000:]
    t = curated(workdir / "table")
    ids = t.column("id").to_pylist()
    assert len(ids) == distinct == len(set(ids)), "one row per id"
    raw = ds.dataset(str(root / "movies/parquet"), format="parquet").to_table(columns=["id", "_pf_fetched_at"])
    latest = raw.group_by("id").aggregate([("_pf_fetched_at", "max")])
    want = dict(zip(latest.column("id").to_pylist(), latest.column("_pf_fetched_at_max").to_pylist(), strict=True))
    got = dict(zip(ids, t.column("_pf_fetched_at").to_pylist(), strict=True))
    assert got == want, "each id keeps its latest fetch"
