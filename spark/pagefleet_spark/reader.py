"""pagefleet's Spark reader (run as spark/reader.py): streams a landing zone into a curated Delta table as files land.

  spark-submit --jars "$(bash spark/fetch-jars.sh)" spark/reader.py --landing ROOT --dataset NAME \
      [--format parquet|ndjson] --output PATH --checkpoint PATH [--trigger available-now|SECONDS] \
      [--key COLUMN] [--report [--json]]

ROOT is a folder or s3a://bucket/prefix (s3:// is accepted too); S3 endpoint and credentials come from
the same environment variables the fetcher reads. Exit codes: 0 done, 1 the stream failed, 2 bad
arguments or a checkpoint that does not match the table (identity.py), 3 the landing zone has no dataset
(no schema.json) within --wait seconds.

What it reads: the landed markers the fetcher writes after each data file (markers.py), never the data
folder itself, so an orphan or a voided copy of a file never reaches the table.
"""
import argparse
import json
import os
import sys
import time
from collections.abc import Sequence

from delta.tables import DeltaTable
from pyspark.sql import DataFrame, SparkSession

from pagefleet_spark.curator import Curator, Target
from pagefleet_spark.events import log
from pagefleet_spark.identity import IdentityError, claim, create_table
from pagefleet_spark.report import format_report, ledger_report
from pagefleet_spark.schemas import from_json
from pagefleet_spark.session import build_session, exists, normalize_root, read_text

FORMATS = ("ndjson", "parquet")
MARKER_SOURCE_SCHEMA = "path string, modificationTime timestamp, length long, content binary"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="reader.py", description="Stream a pagefleet landing zone into a curated Delta table.")
    p.add_argument("--landing", required=True, help="landing zone root: a folder or s3a://bucket/prefix")
    p.add_argument("--dataset", required=True)
    p.add_argument("--format", choices=FORMATS, default="parquet")
    p.add_argument("--output", help="curated Delta table path")
    p.add_argument("--checkpoint", help="streaming checkpoint folder (keep it on a POSIX volume)")
    p.add_argument("--trigger", default="10", help="available-now, or seconds between micro-batches (default 10)")
    p.add_argument("--key", help="column identifying a record: keep only its latest _pf_fetched_at")
    p.add_argument("--max-files-per-trigger", type=int, default=100, help="bound on files per micro-batch (default 100)")
    p.add_argument("--wait", type=float, default=600, help="seconds to wait for the dataset to appear (default 600)")
    p.add_argument("--report", action="store_true", help="print the ledger report of every run instead of streaming")
    p.add_argument("--json", action="store_true", help="with --report: JSON instead of text")
    args = p.parse_args(argv)
    if not args.report and not (args.output and args.checkpoint):
        p.error("--output and --checkpoint are required unless --report is given")
    if args.trigger != "available-now":
        try:
            if float(args.trigger) <= 0:
                raise ValueError
        except ValueError:
            p.error(f"--trigger: expected available-now or a number of seconds > 0, got {args.trigger}")
    return args


def local_or_url(path: str) -> str:
    """An absolute path for a local one (Delta and the checkpoint id name it in messages); URLs as given."""
    return path if "://" in path else os.path.abspath(path)


def wait_for_dataset(spark: SparkSession, paths: dict[str, str], seconds: float) -> None:
    """The fetcher writes schema.json and <format>/_READY when a run starts, and landed markers as files
    land; a stream may start earlier."""
    deadline = time.time() + seconds
    announced = False
    while True:
        if exists(spark, paths["schema"]) and (exists(spark, paths["landed"]) or exists(spark, paths["ready"])):
            return
        if time.time() > deadline:
            print(f"reader.py: no dataset at {paths['landed']} (schema {paths['schema']}, {paths['ready']}) after {seconds:g} s", file=sys.stderr)
            sys.exit(3)
        if not announced:
            log("waiting", path=paths["landed"])
            announced = True
        time.sleep(1)


def dataset_paths(root: str, dataset: str, fmt: str) -> dict[str, str]:
    """Where the fetcher writes the dataset's schema.json, landed markers and _READY."""
    control = f"{root}/_pagefleet/{dataset}"
    return {"schema": f"{control}/schema.json", "landed": f"{control}/landed/{fmt}", "ready": f"{root}/{dataset}/{fmt}/_READY"}


def marker_stream(spark: SparkSession, landed: str, max_files: int) -> DataFrame:
    """The landed markers under `landed` (a few hundred bytes each, read whole by binaryFile), as a stream:
    a marker exists only once its file does and the commit protocol counts it. The glob (run_id=*) keeps a
    stream started before the first marker from failing on a folder that does not exist yet."""
    return (spark.readStream.format("binaryFile").schema(MARKER_SOURCE_SCHEMA)
            .option("pathGlobFilter", "*.json")
            .option("recursiveFileLookup", "true")
            # repair deletes the marker of a file it voids. A listed marker gone when its batch is planned
            # is dropped by Spark's file index; this covers one that goes between planning and reading.
            .option("ignoreMissingFiles", "true")
            .option("maxFilesPerTrigger", max_files)
            .load(f"{landed}/run_id=*"))


def target(args: argparse.Namespace) -> Target:
    """The stream's dataset and table from parsed arguments (--output and --checkpoint given: no --report)."""
    return Target(dataset=args.dataset, format=args.format, output=args.output, checkpoint=args.checkpoint, key=args.key)


def stream(spark: SparkSession, args: argparse.Namespace) -> None:
    """Checks the checkpoint against the table, waits for the dataset, then streams until stopped (or,
    with --trigger available-now, until every marker there at start is read)."""
    root = normalize_root(args.landing)
    paths = dataset_paths(root, args.dataset, args.format)
    t = target(args)
    writer_id = claim(spark, t.output, t.checkpoint)  # exit 2 before waiting, if it does not match
    wait_for_dataset(spark, paths, args.wait)
    if not DeltaTable.isDeltaTable(spark, t.output):
        # made now, while the first files are still being written, rather than by the first batch
        schema = from_json(read_text(spark, paths["schema"]))
        if schema is None:
            raise RuntimeError(f"{paths['schema']} vanished after it appeared")
        create_table(spark, t.output, t.checkpoint, schema, writer_id)
    spark.conf.set("spark.databricks.delta.schema.autoMerge.enabled", "true")
    markers = marker_stream(spark, paths["landed"], args.max_files_per_trigger)
    writer = markers.writeStream.foreachBatch(Curator(spark, t, root, paths["schema"], writer_id)).option("checkpointLocation", t.checkpoint)
    writer = writer.trigger(availableNow=True) if args.trigger == "available-now" else writer.trigger(processingTime=f"{float(args.trigger)} seconds")
    log("started", landing=root, dataset=args.dataset, format=args.format, output=args.output, trigger=args.trigger, checkpoint_id=writer_id)
    query = writer.start()
    query.awaitTermination()
    log("stopped", batches=query.lastProgress and query.lastProgress.get("batchId"))


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the reader (or its --report) and returns the exit code."""
    args = parse_args(argv if argv is not None else sys.argv[1:])
    spark = build_session(f"pagefleet-reader-{args.dataset}")
    if args.report:
        report = ledger_report(spark, normalize_root(args.landing), args.dataset)
        print(json.dumps(report, indent=1) if args.json else format_report(report))
        return 0
    args.output, args.checkpoint = local_or_url(args.output), local_or_url(args.checkpoint)
    try:
        stream(spark, args)
    except IdentityError as e:
        print(f"reader.py: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0

