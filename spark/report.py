"""The ledger report behind `spark/reader.py --report`: per run of a dataset, which pages landed, failed or
are still missing (per executor), why pages failed, and the slowest pages.

It applies the rules of `pagefleet status` (src/ledger/status.ts) to the control data under
<root>/_pagefleet/<dataset>/run_id=<run>/, read with Spark so local folders and s3a:// work alike:
- a page has landed when a commit record names it and that record's data file exists, in every format
  (the formats are the folders under commits/);
- a page that has not landed has failed when its last attempt in the ledger ('retrying' lines aside) failed;
- every other page of the plan is missing.
"""
import json
from collections import Counter

from pyspark.sql import Window
from pyspark.sql import functions as F

from session import hadoop_path, normalize_root, read_text

CHAIN_SPAN = 10_000_000  # chain page ids are slice_index * CHAIN_SPAN + position (src/ledger/types.ts)
SLOWEST = 10

# Explicit schemas: ledger lines differ in their fields (a failed attempt has no files, a landed one no
# error), and inference over a sample could guess differently from one run to the next.
LEDGER_SCHEMA = (
    "run_id string, dataset string, executor long, page long, slice string, cursor string, attempt long, "
    "status string, http_status long, error_class string, error string, records long, bytes long, "
    "started_at string, duration_ms long, files array<string>, warning string"
)
COMMIT_SCHEMA = (
    "file string, format string, executor long, pages array<long>, records long, bytes long, "
    "committed_at string, next array<string>"
)
COUNTS = ("planned", "landed", "failed", "missing")


def ledger_report(spark, landing_root, dataset):
    """{dataset, landing_root, runs: [one dict per run, sorted by run id], totals}.

    A dataset without runs gives `runs: []`; a run folder without plan.json yet (still planning) is left out.
    """
    root = normalize_root(landing_root)
    runs = [_run_report(spark, root, dataset, run_id) for run_id in _run_ids(spark, root, dataset)]
    runs = [r for r in runs if r is not None]
    totals = {k: sum(r[k] for r in runs) for k in (*COUNTS, "records")}
    totals["runs"] = len(runs)
    totals["complete_runs"] = sum(r["complete"] for r in runs)
    return {"dataset": dataset, "landing_root": root, "runs": runs, "totals": totals}


def _glob(spark, pattern):
    """Paths matching a Hadoop glob, sorted; [] when nothing matches (or the parent does not exist)."""
    fs, path = hadoop_path(spark, pattern)
    return sorted(s.getPath().toString() for s in (fs.globStatus(path) or []))


def _run_ids(spark, root, dataset):
    folders = _glob(spark, f"{root}/_pagefleet/{dataset}/run_id=*")
    return sorted(p.rsplit("/", 1)[1][len("run_id="):] for p in folders)


def _run_report(spark, root, dataset, run_id):
    control = f"{root}/_pagefleet/{dataset}/run_id={run_id}"
    plan_text = read_text(spark, f"{control}/plan.json")
    if plan_text is None:
        return None
    plan = json.loads(plan_text)

    landed, records_by_format = _landed_pages(spark, root, dataset, run_id, control)
    ledger = _read_ledger(spark, control)
    last_failed = _last_failed_attempts(ledger)

    def state(page):
        return "landed" if page in landed else "failed" if page in last_failed else "missing"

    executors = _per_executor(plan, landed, state)
    failed_pages = [a for page, a in last_failed.items() if page not in landed]
    report = {
        "run_id": run_id,
        "style": plan.get("style"),
        "executors": plan["executors"],
        **{k: sum(e[k] for e in executors) for k in COUNTS},
        # formats differ only while some pages have landed in some formats: count what all of them hold
        "records": min(records_by_format.values(), default=0),
        "records_by_format": records_by_format,
        "per_executor": executors,
        "failures": _group_failures(failed_pages),
        "slowest": _slowest(ledger),
        "ledger_entries": ledger.count() if ledger is not None else 0,
    }
    report["complete"] = report["failed"] == 0 and report["missing"] == 0
    return report


def _landed_pages(spark, root, dataset, run_id, control):
    """({page: next cursor or None} for pages landed in every format, {format: records in landed files})."""
    commit_files = _glob(spark, f"{control}/commits/*/*.json")
    formats = sorted({p.rsplit("/", 1)[1] for p in _glob(spark, f"{control}/commits/*")})
    # data file keys relative to the root, the way commit records name them
    data_files = {
        "/".join(p.split("/")[-5:]) for p in _glob(spark, f"{root}/{dataset}/*/ingest_date=*/run_id={run_id}/*")
    }
    by_format = {f: {} for f in formats}
    records = {f: 0 for f in formats}
    if commit_files:
        commits = (
            spark.read.schema(COMMIT_SCHEMA).option("multiLine", True).json(commit_files)
            .withColumn("folder", F.regexp_extract(F.col("_metadata.file_path"), r"/commits/([^/]+)/[^/]*$", 1))
            .collect()
        )
        for c in commits:
            if c.file not in data_files or not c.pages:  # a record without its file: not landed
                continue
            records[c.folder] += c.records or 0
            for i, page in enumerate(c.pages):
                by_format[c.folder][page] = c.next[i] if c.next and i < len(c.next) else None
    if not formats:
        return {}, records
    first, *others = (by_format[f] for f in formats)
    landed = {page: nxt for page, nxt in first.items() if all(page in o for o in others)}
    return landed, records


def _read_ledger(spark, control):
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


def _last_failed_attempts(ledger):
    """{page: Row} for pages whose last attempt (segments in name order, lines in order) failed."""
    if ledger is None:
        return {}
    latest_first = Window.partitionBy("page").orderBy(F.desc("segment"), F.desc("seq"))
    last = (
        ledger.where(F.col("status") != "retrying")
        .withColumn("n", F.row_number().over(latest_first))
        .where((F.col("n") == 1) & (F.col("status") == "failed"))
        .select("page", "executor", "error_class", "http_status", "error")
    )
    return {row.page: row for row in last.collect()}


def _per_executor(plan, landed, state):
    n = plan["executors"]
    executors = [{"executor": i, **dict.fromkeys(COUNTS, 0)} for i in range(n)]
    if plan.get("pages"):
        for page in range(plan["pages"]["first"], plan["pages"]["last"] + 1):
            e = executors[_owner_of(plan, page)]
            e["planned"] += 1
            e[state(page)] += 1
        return executors
    # chains: each slice is walked from its start while pages have landed; the chain is complete when the
    # last landed page had no next cursor, else the page after the landed prefix is failed or missing
    slice_count = len((plan.get("slices") or {}).get("values") or [])
    for e in executors:
        owned = range(e["executor"], slice_count, n)
        e["chains"], e["chains_complete"] = len(owned), 0
        for s in owned:
            pos, done = 0, False
            while s * CHAIN_SPAN + pos in landed:
                done = landed[s * CHAIN_SPAN + pos] is None
                pos += 1
                if done:
                    break
            e["landed"] += pos
            if done:
                e["chains_complete"] += 1
            else:
                e[state(s * CHAIN_SPAN + pos)] += 1
        e["planned"] = e["landed"] + e["failed"] + e["missing"]
    return executors


def _owner_of(plan, page):
    """The executor of a page (src/plan/partition.ts ownerOf)."""
    n, k = plan["executors"], page - plan["pages"]["first"]
    if plan.get("partitioning") == "stride":
        return k % n
    count = plan["pages"]["last"] - plan["pages"]["first"] + 1
    # contiguous: executor i owns [floor(i*count/n), floor((i+1)*count/n)); the owner is the largest i
    # with floor(i*count/n) <= k, i.e. i*count < (k+1)*n
    return min(n - 1, ((k + 1) * n - 1) // count)


def _group_failures(failed):
    """Failed pages grouped by error class and HTTP status of their last attempt, most pages first."""
    counts = Counter((a.error_class, a.http_status) for a in failed)
    examples = {}
    for a in sorted(failed, key=lambda a: a.page):
        examples.setdefault((a.error_class, a.http_status), a.error)
    return [
        {"error_class": cls, "http_status": status, "pages": count, "example": examples[(cls, status)]}
        for (cls, status), count in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    ]


def _slowest(ledger):
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


def format_report(report):
    """The report as text for a terminal (no trailing newline)."""
    out = [f"dataset {report['dataset']} in {report['landing_root']}"]
    if not report["runs"]:
        return out[0] + ": no runs"
    for r in report["runs"]:
        out += [
            "",
            f"run {r['run_id']}  {r['style']} style, {r['executors']} executors, "
            + ("complete" if r["complete"] else "INCOMPLETE"),
            f"  pages {r['planned']} planned, {r['landed']} landed, {r['failed']} failed, {r['missing']} missing;"
            f" {r['records']:,} records; {r['ledger_entries']} ledger lines",
            f"  {'executor':>8} {'planned':>8} {'landed':>8} {'failed':>8} {'missing':>8}",
        ]
        out += [
            f"  {e['executor']:>8} {e['planned']:>8} {e['landed']:>8} {e['failed']:>8} {e['missing']:>8}"
            for e in r["per_executor"]
        ]
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


def _shorten(text, width=100):
    text = (text or "").split("]: ", 1)[-1]  # drop "PF_ERR_RETRY_EXHAUSTED: GET <url> failed after n attempts [CLASS]: "
    return text if len(text) <= width else text[: width - 1] + "…"
