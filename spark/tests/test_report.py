"""pagefleet_spark/report.py (reader.py --report) against real runs: the demo API with injected faults, the built pagefleet CLI, and
`pagefleet status --json` (src/ledger/status.ts) as the reference."""
import json
from collections import Counter

from pagefleet_spark.report import format_report, ledger_report

from conftest import pagefleet, spark_submit, write_job

FAULTY = ("--size", 2000, "--per-page", 50, "--seed", 4,
          "--error-rate", 0.3, "--reset-rate", 0.05, "--html-rate", 0.05)
LIMITS = "limits: { retries: 0, rate: 200, concurrency: 4 }"


def ingest(job, run_id, executors=2, env=None):
    r = pagefleet(["ingest", str(job), "--executors", str(executors), "--run-id", run_id, "--json"], env)
    assert r.returncode in (0, 1), r.stderr
    return r.returncode


def status(job, run_id, env=None):
    r = pagefleet(["status", str(job), "--run-id", run_id, "--json"], env)
    assert r.returncode in (0, 1), r.stderr
    return json.loads(r.stdout)


def assert_matches_status(run, st):
    """landed / failed / missing per executor (and chains, records, failure counts) as `pagefleet status` says."""
    keys = ("executor", "planned", "landed", "failed", "missing")
    assert [{k: e[k] for k in keys} for e in run["per_executor"]] == [{k: e[k] for k in keys} for e in st["executors"]]
    if "chains" in st["executors"][0]:
        assert [(e["chains"], e["chains_complete"]) for e in run["per_executor"]] == [
            (e["chains"], e["chainsComplete"]) for e in st["executors"]
        ]
    assert {k: run[k] for k in ("planned", "landed", "failed", "missing")} == st["totals"]
    assert run["complete"] == st["complete"]
    assert {f: run["records_by_format"].get(f, 0) for f in st["records_by_format"]} == st["records_by_format"]
    as_status_keys = {f"{f['error_class']}{' ' + str(f['http_status']) if f['http_status'] else ''}": f["pages"] for f in run["failures"]}
    assert as_status_keys == st["failures"]


def last_attempts(control):
    """page -> its last ledger line that is not 'retrying', read from the JSONL segments with plain Python.
    A page fails in one executor's ledger and lands in another's when work moves between executors, so the
    last line is a landed one if the page landed anywhere, else the latest by time."""
    last = {}
    for segment in sorted(control.glob("ledger/executor=*/*.jsonl")):
        for line in segment.read_text().splitlines():
            try:
                e = json.loads(line)
            except ValueError:
                continue
            if e["status"] == "retrying":
                continue
            seen = last.get(e["page"])
            if seen is None or (seen["status"] != "landed" and (e["status"] == "landed" or e["started_at"] >= seen["started_at"])):
                last[e["page"]] = e
    return last


def faulty_run(demo_api, workdir, run_id="r1"):
    api = demo_api(*FAULTY)
    root = workdir / "landing"
    job = write_job(workdir / "job.yaml", api.url, root, extra=LIMITS)
    assert ingest(job, run_id) == 1, "faults at retries: 0 should fail some pages"
    return job, root, api


def test_faulty_run_matches_status_and_groups_failures(spark, demo_api, workdir):
    job, root, _ = faulty_run(demo_api, workdir)
    control = root / "_pagefleet/movies/run_id=r1"
    last = last_attempts(control)
    expected_failures = Counter((e.get("error_class"), e.get("http_status")) for e in last.values() if e["status"] == "failed")
    slow = min(e["page"] for e in last.values() if e["status"] == "landed" and e["executor"] == 1)
    # a hand-written segment: a field the schema does not know, a slow landed line for a page that did
    # land (the fetcher writes duration_ms 0 on landed lines), and a torn line
    hand = [
        {"run_id": "r1", "dataset": "movies", "executor": 0, "page": 4, "attempt": 9, "status": "retrying",
         "future": {"x": 1}, "started_at": "2026-01-01T00:00:00Z", "duration_ms": 1},
        {"run_id": "r1", "dataset": "movies", "executor": 1, "page": slow, "attempt": 3, "status": "landed",
         "http_status": 200, "records": 50, "started_at": "2026-01-01T00:00:00Z", "duration_ms": 987654},
    ]
    (control / "ledger/executor=001/zzzz-hand-edited.jsonl").write_text(
        "".join(json.dumps(e) + "\n" for e in hand) + '{"run_id":"r1","pa\n'
    )

    report = ledger_report(spark, str(root), "movies")
    [run] = report["runs"]
    st = status(job, "r1")
    assert_matches_status(run, st)
    assert run["failed"] > 0 and not run["complete"]
    assert run["executors"] == 2 and run["style"] == "page"

    assert {(f["error_class"], f["http_status"]): f["pages"] for f in run["failures"]} == dict(expected_failures)
    classes = {f["error_class"] for f in run["failures"]}
    assert "SERVER_ERROR" in classes and {f["http_status"] for f in run["failures"]} & {500, 502, 503}
    for f in run["failures"]:
        assert f"[{f['error_class']}]" in f["example"]
        if f["error_class"] == "SERVER_ERROR":
            assert f"HTTP {f['http_status']}" in f["example"]
    assert [f["pages"] for f in run["failures"]] == sorted((f["pages"] for f in run["failures"]), reverse=True)

    slowest = run["slowest"]
    assert len(slowest) == 10 and len({s["page"] for s in slowest}) == 10
    assert slowest[0] == {"page": slow, "executor": 1, "duration_ms": 987654, "attempts": 3, "http_status": 200}
    assert [s["duration_ms"] for s in slowest] == sorted((s["duration_ms"] for s in slowest), reverse=True)
    assert all(s["http_status"] == 200 and last[s["page"]]["status"] == "landed" for s in slowest)
    assert run["records"] == st["records"] == run["landed"] * 50

    assert report["totals"]["runs"] == 1 and report["totals"]["failed"] == run["failed"]
    text = format_report(report)
    assert "run r1" in text and "INCOMPLETE" in text and "SERVER_ERROR" in text
    json.dumps(report)  # the --json output


def test_report_through_the_spark_submit_entry(demo_api, workdir):
    """`spark-submit spark/reader.py --report --json`: the entry script imports the package beside it and
    prints the report that `pagefleet status` agrees with."""
    job, root, _ = faulty_run(demo_api, workdir)
    r = spark_submit(["--landing", str(root), "--dataset", "movies", "--report", "--json"])
    assert r.returncode == 0, r.stderr[-3000:]
    report, _ = json.JSONDecoder().raw_decode(r.stdout[r.stdout.index("{\n"):])  # Spark may log around it
    [run] = report["runs"]
    assert_matches_status(run, status(job, "r1"))
    assert run["failed"] > 0 and report["totals"]["runs"] == 1


def test_resumed_run_reports_complete(spark, demo_api, workdir):
    job, root, faulty = faulty_run(demo_api, workdir)
    # the same API without faults, at the same URL: a resume must run the spec the run was planned with
    faulty.stop()
    healthy = demo_api("--size", 2000, "--per-page", 50, "--seed", 4, "--port", faulty.url.rsplit(":", 1)[1])
    assert healthy.url == faulty.url
    assert ingest(job, "r1") == 0

    [run] = ledger_report(spark, str(root), "movies")["runs"]
    assert_matches_status(run, status(job, "r1"))
    assert run["complete"] and run["landed"] == run["planned"] == 40
    assert run["failed"] == run["missing"] == 0 and run["failures"] == []
    assert run["records"] == 2000
    text = format_report(ledger_report(spark, str(root), "movies"))
    assert "executors, complete" in text and "INCOMPLETE" not in text and "failures" not in text


def test_run_without_ledger_is_all_missing(spark, demo_api, workdir):
    job, root, _ = faulty_run(demo_api, workdir)
    plan = json.loads((root / "_pagefleet/movies/run_id=r1/plan.json").read_text())
    fresh = root / "_pagefleet/movies/run_id=r0"  # planned, no executor started yet
    fresh.mkdir()
    (fresh / "plan.json").write_text(json.dumps({**plan, "run_id": "r0"}))

    report = ledger_report(spark, str(root), "movies")
    assert [r["run_id"] for r in report["runs"]] == ["r0", "r1"]
    assert report["runs"][0]["status_computed_at"] is None, "status never ran for r0: the report says so"
    assert "status not computed yet" in format_report(report)
    st = status(job, "r0")  # writes r0's status.json
    report = ledger_report(spark, str(root), "movies")
    r0 = report["runs"][0]
    assert_matches_status(r0, st)
    assert r0["missing"] == r0["planned"] == 40 and r0["landed"] == r0["failed"] == 0
    assert r0["failures"] == [] and r0["slowest"] == [] and r0["ledger_entries"] == 0
    assert report["totals"]["planned"] == 80


def test_chain_run_matches_status(spark, demo_api, workdir):
    api = demo_api(*FAULTY)
    root = workdir / "landing"
    job = workdir / "chains.yaml"
    job.write_text(
        f"""dataset: by_cursor
source: {{ url: "{api.url}/cursor", records: results }}
pagination: {{ cursor: {{ param: cursor, next: meta.next_cursor, limit_param: limit, limit: 10 }} }}
slices: {{ param: year, values: [{", ".join(str(y) for y in range(1990, 2002))}] }}
{LIMITS}
output: {{ root: "{root}", formats: [parquet, ndjson], file_target: 20KiB }}
"""
    )
    ingest(job, "c1", executors=3)
    [run] = ledger_report(spark, str(root), "by_cursor")["runs"]
    assert run["style"] == "cursor"
    assert_matches_status(run, status(job, "c1"))
    assert sum(e["chains"] for e in run["per_executor"]) == 12
    assert run["failed"] > 0 and any(e["chains_complete"] for e in run["per_executor"])


def test_s3_landing_zone(spark, demo_api, workdir, moto):
    moto.create_bucket("report-lake")
    api = demo_api(*FAULTY)
    job = write_job(workdir / "job.yaml", api.url, "s3://report-lake/raw", extra=LIMITS)
    ingest(job, "s1", env=moto.env)
    report = ledger_report(spark, "s3://report-lake/raw", "movies")
    assert report["landing_root"] == "s3a://report-lake/raw"
    [run] = report["runs"]
    assert_matches_status(run, status(job, "s1", env=moto.env))
    assert run["landed"] > 0 and run["ledger_entries"] >= run["planned"]


def test_no_runs_gives_an_empty_report(spark, workdir):
    report = ledger_report(spark, str(workdir / "nothing-here"), "movies")
    assert report["runs"] == []
    assert report["totals"] == {"planned": 0, "landed": 0, "failed": 0, "missing": 0, "records": 0, "runs": 0, "complete_runs": 0}
    assert "no runs" in format_report(report)
    (workdir / "landing/_pagefleet/movies").mkdir(parents=True)
    assert ledger_report(spark, str(workdir / "landing"), "movies")["runs"] == []
