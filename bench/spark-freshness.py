"""Freshness of the Spark reader: time from a file landing to its rows committed in the curated table,
while `pagefleet ingest` (2 executors, demo API) writes. One run per trigger interval.
  bash scripts/setup.sh && .venv/bin/python bench/spark-freshness.py [--triggers 2,10]
"""
import argparse
import json
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "spark/tests"))
from conftest import DemoApi, pagefleet, spark_submit_bg, write_job  # noqa: E402
from deltalake import DeltaTable  # noqa: E402

SIZE, PER_PAGE, RATE = 10_000, 50, 5


def one(trigger):
    with tempfile.TemporaryDirectory(prefix="pf-fresh-") as d:
        d = Path(d)
        api = DemoApi(["--size", str(SIZE), "--per-page", str(PER_PAGE), "--latency", "20", "--seed", "1"])
        try:
            job = write_job(d / "job.yaml", api.url, d / "landing", extra=f"limits: {{ rate: {RATE}, concurrency: 2 }}")
            log = d / "reader.log"
            reader = spark_submit_bg(["--landing", str(d / "landing"), "--dataset", "movies", "--output", str(d / "table"),
                                      "--checkpoint", str(d / "cp"), "--trigger", str(trigger)], log=log)
            time.sleep(8)
            t0 = time.time()
            r = pagefleet(["ingest", str(job), "--executors", "2"])
            ingest_s = time.time() - t0
            assert r.returncode == 0, r.stderr
            deadline = time.time() + 300
            while time.time() < deadline:
                try:
                    if DeltaTable(str(d / "table")).to_pyarrow_table(columns=["id"]).num_rows >= SIZE:
                        break
                except Exception:
                    pass
                time.sleep(1)
            reader.send_signal(signal.SIGTERM)
            reader.wait(60)
        finally:
            api.stop()
        batches = [json.loads(line) for line in log.read_text().splitlines() if line.startswith('{"event": "batch"')]
        lags = sorted(x for b in batches for x in b["freshness_s"])
        p95 = lags[min(len(lags) - 1, int(round(0.95 * (len(lags) - 1))))]
        secs = statistics.median(b["seconds"] for b in batches)
        return f"| {trigger} | {ingest_s:.0f} | {len(lags)} | {len(batches)} | {secs:.1f} | {statistics.median(lags):.1f} | {p95:.1f} |"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--triggers", default="2,10")
    args = p.parse_args()
    print(f"# {SIZE} records, {SIZE // PER_PAGE} pages at {RATE} pages/s, Parquet, 2 executors; reader local[2]; {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}")
    print("| trigger s | ingest s | files | batches | median batch s | freshness median s | freshness p95 s |")
    print("|---|---|---|---|---|---|---|")
    for t in args.triggers.split(","):
        print(one(t), flush=True)


if __name__ == "__main__":
    main()
