"""The ledger report behind `spark/reader.py --report`: per run of a dataset, which pages landed, failed or
are still missing (per executor), why pages failed, and the slowest pages.

The rules of what has landed live in one place, `pagefleet status` (src/ledger/status.ts), which writes its
result to <root>/_pagefleet/<dataset>/run_id=<run>/status.json (as does `pagefleet ingest` at the end of a
local run). This report renders that file, so the two cannot disagree, and adds what only the ledger
tells: an example message per failure class and the slowest pages. A run whose status was never computed
is shown as such, with the command that computes it.
"""
import json
from typing import Any

from pyspark.sql import DataFrame, Row, SparkSession, Window
from pyspark.sql import functions as F

from pagefleet_spark.session import hadoop_path, normalize_root, read_text

Report = dict[str, Any]
"""A JSON-shaped report (the whole report, or one run of it): what --report --json prints."""

SLOWEST = 10

# Explicit schemas: ledger lines differ in their fields (a failed attempt has no files, a landed one no
# error), and inference over a sample could guess differently from one run to the next.
LEDGER_SCHEMA = (
    "run_id string, dataset string, executor long, page long, slice string, cursor string, attempt long, "
    "status string, http_status long, error_class string, error string, records long, bytes long, "
    "started_at string, duration_ms long, files array<string>, warning string"
)
COUNTS = ("planned", "landed", "failed", "missing")


def ledger_report(spark: SparkSession, landing_root: str, dataset: str) -> Report:
    """{dataset, landing_root, runs: [one dict per run, sorted by run id], totals}.

    A dataset without runs gives `runs: []`; a run folder without plan.json yet (still planning) is left out.
    """
    root = normalize_root(landing_root)
    reports = [_run_report(spark, root, dataset, run_id) for run_id in _run_ids(spark, root, dataset)]
    runs = [r for r in reports if r is not None]
    totals = {k: sum(r[k] for r in runs) for k in (*COUNTS, "records")}
    totals["runs"] = len(runs)
    totals["complete_runs"] = sum(r["complete"] for r in runs)
    return {"dataset": dataset, "landing_root": root, "runs": runs, "totals": totals}


def _glob(spark: SparkSession, pattern: str) -> list[str]:
    """Paths matching a Hadoop glob, sorted; [] when nothing matches (or the parent does not exist)."""
    fs, path = hadoop_path(spark, pattern)
    return sorted(str(s.getPath().toString()) for s in (fs.globStatus(path) or []))


def _run_ids(spark: SparkSession, root: str, dataset: str) -> list[str]:
    folders = _glob(spark, f"{root}/_pagefleet/{dataset}/run_id=*")
    return sorted(p.rsplit("/", 1)[1][len("run_id="):] for p in folders)


def _run_report(spark: SparkSession, root: str, dataset: str, run_id: str) -> Report | None:
    control = f"{root}/_pagefleet/{dataset}/run_id={run_id}"
    plan_text = read_text(spark, f"{control}/plan.json")
    if plan_text is None:
        return None
    plan = json.loads(plan_text)
    status_text = read_text(spark, f"{control}/status.json")
    ledger = _read_ledger(spark, control)
    report: Report = {
        "run_id": run_id,
        "style": plan.get("style"),
        "executors": plan["executors"],
        "status_computed_at": None,
        **dict.fromkeys(COUNTS, 0),
        "records": 0,
        "records_by_format": {},
        "per_executor": [],
        "problems": [],
        "failures": [],
        "slowest": _slowest(ledger),
        "ledger_entries": ledger.count() if ledger is not None else 0,
        "complete": False,
    }
    if status_text is None:
        return report
    st = json.loads(status_text)
    report.update(
        status_computed_at=st.get("computed_at"),
        records=st["records"],
        records_by_format=st["records_by_format"],
        problems=st.get("problems", []),
        complete=st["complete"],
        per_executor=[
            {k: e[k] for k in ("executor", *COUNTS)}
            | ({"chains": e["chains"], "chains_complete": e["chainsComplete"]} if "chains" in e else {})
            for e in st["executors"]
        ],
        failures=_with_examples(st["failures"], _last_failed_attempts(ledger)),
        **st["totals"],
    )
    return report


def _read_ledger(spark: SparkSession, control: str) -> DataFrame | None:
    """The run's ledger lines as a DataFrame (line order kept in `seq`), or None before the first segment."""
    segments = _glob(spark, f"{control}/ledger/executor=*/*.jsonl")
    if not segments:
        return None
    return (
        spark.read.schema(LEDGER_SCHEMA).json(segments)
        .where(F.col("page").isNotNull() & F.col("status").isNotNull())  # torn or foreign lines
        .withColumn("segment", F.col("_metadata.file_path"))
        .withColumn("seq", F.monotonically_increasing_id())  # increases along the lines of a segment
    )


def _last_failed_attempts(ledger: DataFrame | None) -> dict[int, Row]:
    """{page: Row} for pages whose last attempt failed: the latest by start time, as in `pagefleet status`
    (another executor may retry a released block's failed pages); equal times keep the line read later."""
    if ledger is None:
        return {}
    started = F.coalesce(F.try_to_timestamp(F.col("started_at")), F.timestamp_seconds(F.lit(0)))
    latest_first = Window.partitionBy("page").orderBy(started.desc(), F.desc("segment"), F.desc("seq"))
    last = (
        ledger.where(F.col("status") != "retrying")
        .withColumn("n", F.row_number().over(latest_first))
        .where((F.col("n") == 1) & (F.col("status") == "failed"))
        .select("page", "executor", "error_class", "http_status", "error")
    )
    return {row.page: row for row in last.collect()}


def _with_examples(failures: dict[str, int], last_failed: dict[int, Row]) -> list[Report]:
    """status.json's failure counts ("CLASS STATUS" -> pages), most pages first, each with an example message
    from the last failed attempt of such a page in the ledger."""
    examples: dict[str, str | None] = {}
    for a in sorted(last_failed.values(), key=lambda a: a.page):
        examples.setdefault(f"{a.error_class or 'UNKNOWN'}{' ' + str(a.http_status) if a.http_status else ''}", a.error)
    out = []
    for key, pages in sorted(failures.items(), key=lambda kv: (-kv[1], kv[0])):
        cls, _, status = key.partition(" ")
        out.append({"error_class": cls, "http_status": int(status) if status else None, "pages": pages, "example": examples.get(key)})
    return out


def _slowest(ledger: DataFrame | None) -> list[Report]:
    """The pages with the longest 'landed' attempt (a page landed twice counts once, with its slower one)."""
    if ledger is None:
        return []
    slowest_first = Window.partitionBy("page").orderBy(F.desc_nulls_last("duration_ms"))
    rows = (
        ledger.where(F.col("status") == "landed")
        .withColumn("n", F.row_number().over(slowest_first))
        .where(F.col("n") == 1)
        .orderBy(F.desc_nulls_last("duration_ms"), "page")
        .select("page", "executor", "duration_ms", F.col("attempt").alias("attempts"), "http_status")
        .limit(SLOWEST)
        .collect()
    )
    return [row.asDict() for row in rows]


def format_report(report: Report) -> str:
    """The report as text for a terminal (no trailing newline)."""
    out = [f"dataset {report['dataset']} in {report['landing_root']}"]
    if not report["runs"]:
        return out[0] + ": no runs"
    for r in report["runs"]:
        if r["status_computed_at"] is None:
            out += ["", f"run {r['run_id']}  {r['style']} style, {r['executors']} executors: status not computed yet"
                    f" (pagefleet status JOB --run-id {r['run_id']}); {r['ledger_entries']} ledger lines"]
            continue
        out += [
            "",
            f"run {r['run_id']}  {r['style']} style, {r['executors']} executors, "
            + ("complete" if r["complete"] else "INCOMPLETE") + f" (status of {r['status_computed_at']})",
            f"  pages {r['planned']} planned, {r['landed']} landed, {r['failed']} failed, {r['missing']} missing;"
            f" {r['records']:,} records; {r['ledger_entries']} ledger lines",
            f"  {'executor':>8} {'planned':>8} {'landed':>8} {'failed':>8} {'missing':>8}",
        ]
        out += [
            f"  {e['executor']:>8} {e['planned']:>8} {e['landed']:>8} {e['failed']:>8} {e['missing']:>8}"
            for e in r["per_executor"]
        ]
        out += [f"  problem: {p}" for p in r["problems"]]
        if r["failures"]:
            out.append("  failures (last attempt of each failed page):")
            for f in r["failures"]:
                kind = f"{f['error_class'] or 'UNKNOWN'} {f['http_status'] or ''}".strip()
                out.append(f"    {kind:<20} {f['pages']:>6} pages  e.g. {_shorten(f['example'])}")
        if r["slowest"]:
            out.append(f"  slowest pages:  {'page':>10} {'executor':>8} {'ms':>8} {'attempts':>8} {'http':>5}")
            for s in r["slowest"]:
                out.append(
                    f"                  {s['page']:>10} {s['executor']:>8} {s['duration_ms']:>8}"
                    f" {s['attempts']:>8} {s['http_status'] or '':>5}"
                )
    t = report["totals"]
    out += [
        "",
        f"totals: {t['runs']} runs ({t['complete_runs']} complete), {t['planned']} planned, {t['landed']} landed,"
        f" {t['failed']} failed, {t['missing']} missing, {t['records']:,} records",
    ]
    return "\n".join(out)


def _shorten(text: str | None, width: int = 100) -> str:
    text = (text or "").split("]: ", 1)[-1]  # drop "PF_ERR_RETRY_EXHAUSTED: GET <url> failed after n attempts [CLASS]: "
    return text if len(text) <= width else text[: width - 1] + "…"
