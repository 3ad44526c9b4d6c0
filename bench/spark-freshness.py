"""Freshness of the Spark reader: time from a page's fetch to its rows being readable in the curated Delta
table, while `pagefleet ingest` writes against a rate-limited demo API.

  npx tsc -p tsconfig.json && .venv/bin/python bench/spark-freshness.py [--size 120000] [--trigger 10]

Setup (the defaults): demo API with `--rate-limit 40` and 20 records a page; the job at `limits.rate: 38`
over 2 executors, Parquet, the default `file_target` (64MiB, never reached here) and `max_file_age: 30s`,
so files are cut by age; reader.py with `--trigger 10`, started before the ingest.

Measured independently of the reader's own log: delta-rs lists the files each Delta version added and
that version's commit time; pyarrow reads `_pf_run_id`, `_pf_page`, `_pf_fetched_at` from those files.
A page's freshness = commit time of the version that made it readable - its `_pf_fetched_at`.
Target: p95 <= max_file_age + trigger + 5 s.
"""
import argparse
import json
import signal
import statistics
import sys
import tempfile
import time
from datetime import timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "spark/tests"))
from conftest import DemoApi, pagefleet, spark_submit_bg, write_job  # noqa: E402

import pyarrow.parquet as pq  # noqa: E402
from deltalake import DeltaTable  # noqa: E402

PER_PAGE, API_RATE, JOB_RATE, EXECUTORS, MAX_FILE_AGE_S = 20, 40, 38, 2, 30


def percentile(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, round(q * (len(sorted_values) - 1)))]


def utc(at):
    """Spark writes timestamps as INT96 instants; pyarrow gives them without a zone: they are UTC."""
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def page_freshness(table_path):
    """[(seconds from fetch to readable) per page] from the Delta log and the table's files."""
    history = {h["version"]: h["timestamp"] / 1000 for h in DeltaTable(table_path).history()}
    seen, lags = set(), []
    for version in sorted(history):
        files = set(DeltaTable(table_path, version=version).file_uris())
        for f in sorted(files - seen):
            t = pq.read_table(f, columns=["_pf_run_id", "_pf_page", "_pf_fetched_at"])
            per_page = t.group_by(["_pf_run_id", "_pf_page"]).aggregate([("_pf_fetched_at", "min")])
            lags += [history[version] - utc(at).timestamp() for at in per_page.column("_pf_fetched_at_min").to_pylist()]
        seen = files
    return sorted(lags)


def run(size, trigger):
    with tempfile.TemporaryDirectory(prefix="pf-fresh-") as d:
        d = Path(d)
        api = DemoApi(["--size", str(size), "--per-page", str(PER_PAGE), "--rate-limit", str(API_RATE), "--seed", "1"])
        try:
            job = write_job(d / "job.yaml", api.url, d / "landing", formats="parquet", file_target="64MiB",
                            extra=f"limits: {{ rate: {JOB_RATE}, concurrency: 4 }}")
            job.write_text(job.read_text().replace("file_target: 64MiB", f"file_target: 64MiB, max_file_age: {MAX_FILE_AGE_S}s"))
            log = d / "reader.log"
            reader = spark_submit_bg(["--landing", str(d / "landing"), "--dataset", "movies", "--output", str(d / "table"),
                                      "--checkpoint", str(d / "cp"), "--trigger", str(trigger)], log=log)
            deadline = time.time() + 180
            while '"event": "waiting"' not in log.read_text() and time.time() < deadline:
                time.sleep(0.5)
            t0 = time.time()
            r = pagefleet(["ingest", str(job), "--executors", str(EXECUTORS), "--json"])
            ingest_s = time.time() - t0
            assert r.returncode == 0, r.stderr[-2000:]
            deadline = time.time() + 300
            while time.time() < deadline:
                try:
                    if DeltaTable(str(d / "table")).to_pyarrow_table(columns=["id"]).num_rows >= size:
                        break
                except Exception:
                    pass
                time.sleep(1)
            reader.send_signal(signal.SIGTERM)
            reader.wait(60)
            summary = json.loads(r.stdout)
        finally:
            api.stop()
        lags = page_freshness(str(d / "table"))
        batches = [json.loads(line) for line in log.read_text().splitlines() if line.startswith('{"event": "batch"')]
        marker_lags = sorted(x for b in batches for x in b["freshness_s"])
        return {
            "pages": len(lags), "ingest_s": round(ingest_s), "pages_per_s": round(summary["pages_per_s"], 1),
            "retries": summary["retries"], "files": len(marker_lags), "batches": len(batches),
            "batch_s_median": round(statistics.median(b["seconds"] for b in batches), 1),
            "p50": round(percentile(lags, 0.5), 1), "p95": round(percentile(lags, 0.95), 1), "max": round(lags[-1], 1),
            "marker_to_commit_p50": round(percentile(marker_lags, 0.5), 1),
            "target_p95": MAX_FILE_AGE_S + trigger + 5,
        }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--size", type=int, default=120_000, help="records (pages = size / 20)")
    p.add_argument("--trigger", type=int, default=10)
    args = p.parse_args()
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    res = run(args.size, args.trigger)
    print(f"# {args.size} records, {args.size // PER_PAGE} pages; API --rate-limit {API_RATE}, job rate {JOB_RATE}, "
          f"{EXECUTORS} executors, max_file_age {MAX_FILE_AGE_S}s; reader --trigger {args.trigger}, local[2]; {started}")
    print("| pages | ingest s | pages/s | retries | files | batches | median batch s | fetch→readable p50 s | p95 s | max s | marker→commit p50 s | target p95 s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    print("| {pages} | {ingest_s} | {pages_per_s} | {retries} | {files} | {batches} | {batch_s_median} | {p50} | {p95} | {max} | "
          "{marker_to_commit_p50} | {target_p95} |".format(**res))
    return 0 if res["p95"] <= res["target_p95"] else 1


if __name__ == "__main__":
    sys.exit(main())
