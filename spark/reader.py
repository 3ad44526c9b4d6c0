"""pagefleet's Spark reader: streams a landing zone into a curated Delta table as files land.

  spark-submit --jars "$(bash spark/fetch-jars.sh)" spark/reader.py --landing ROOT --dataset NAME \
      [--format parquet|ndjson] --output PATH --checkpoint PATH [--trigger available-now|SECONDS] \
      [--key COLUMN] [--report [--json]]

ROOT is a folder or s3a://bucket/prefix (s3:// is accepted too); S3 endpoint and credentials come from
the same environment variables the fetcher reads. Exit codes: 0 done, 1 the stream failed, 2 bad
arguments, 3 the landing zone has no dataset (no schema.json) within --wait seconds.
"""
import argparse
import hashlib
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from session import build_session, exists, normalize_root, read_text  # noqa: E402

EXTENSIONS = {"parquet": "*.parquet", "ndjson": "*.ndjson.gz"}
BINARY_FILE_SCHEMA = "path string, modificationTime timestamp, length long, content binary"


def parse_args(argv):
    p = argparse.ArgumentParser(prog="reader.py", description="Stream a pagefleet landing zone into a curated Delta table.")
    p.add_argument("--landing", required=True, help="landing zone root: a folder or s3a://bucket/prefix")
    p.add_argument("--dataset", required=True)
    p.add_argument("--format", choices=sorted(EXTENSIONS), default="parquet")
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


def log(event, **fields):
    print(json.dumps({"event": event, "ts": time.time(), **fields}), flush=True)


def wait_for_dataset(spark, schema_path, data_path, seconds):
    """The fetcher writes schema.json and <format>/_READY when a run starts; a stream may start earlier."""
    deadline = time.time() + seconds
    announced = False
    while True:
        text = read_text(spark, schema_path)
        if text is not None and exists(spark, data_path):
            return text
        if time.time() > deadline:
            print(f"reader.py: no dataset at {data_path} (schema {schema_path}) after {seconds:g} s", file=sys.stderr)
            sys.exit(3)
        if not announced:
            log("waiting", path=data_path)
            announced = True
        time.sleep(1)


class Curator:
    """foreachBatch: read the batch's files, align them to the latest schema.json, land them in Delta.
    Exactly once across restarts: appends carry (txnAppId, txnVersion=batch id), which Delta skips when
    already committed; merges on --key are idempotent (a row replaces another only if fetched later)."""

    def __init__(self, spark, args, schema_path):
        self.spark = spark
        self.args = args
        self.schema_path = schema_path
        self.app_id = "pagefleet-" + hashlib.sha256(os.path.abspath(args.checkpoint).encode()).hexdigest()[:16]

    def __call__(self, files_df, batch_id):
        from pyspark.sql.types import StructType

        import curate

        started = time.time()
        files = files_df.select("path", "modificationTime").collect()
        if not files:
            return
        schema = StructType.fromJson(json.loads(read_text(self.spark, self.schema_path)))
        paths = [f.path for f in files]
        if self.args.format == "parquet":
            df = curate.read_parquet_files(self.spark, paths, schema)
        else:
            df = curate.read_ndjson_files(self.spark, paths, schema)
        if self.args.key:
            df = curate.latest_per_key(df, self.args.key)
        rows = self.write(df, batch_id)
        done = time.time()
        lags = sorted(done - f.modificationTime.timestamp() for f in files)
        log("batch", batch_id=batch_id, files=len(files), rows=rows, seconds=round(done - started, 3),
            freshness_median_s=round(statistics.median(lags), 3), freshness_max_s=round(lags[-1], 3),
            freshness_s=[round(x, 3) for x in lags])

    def write(self, df, batch_id):
        from delta.tables import DeltaTable

        import curate

        out = self.args.output
        table = DeltaTable.forPath(self.spark, out) if DeltaTable.isDeltaTable(self.spark, out) else None
        if table:
            df = curate.fit_to_table(df, table.toDF().schema)
        if self.args.key and table:
            k = self.args.key
            (table.alias("t")
                .merge(df.alias("s"), f"t.`{k}` = s.`{k}`")
                .whenMatchedUpdateAll(condition="s._pf_fetched_at > t._pf_fetched_at")
                .whenNotMatchedInsertAll()
                .execute())
        else:
            (df.write.format("delta").mode("append").option("mergeSchema", "true")
                .option("txnAppId", self.app_id).option("txnVersion", batch_id).save(out))
        metrics = DeltaTable.forPath(self.spark, out).history(1).first()["operationMetrics"] or {}
        return int(metrics.get("numOutputRows") or 0) + int(metrics.get("numTargetRowsInserted") or 0) + int(metrics.get("numTargetRowsUpdated") or 0)


def stream(spark, args):
    root = normalize_root(args.landing)
    data_path = f"{root}/{args.dataset}/{args.format}"
    schema_path = f"{root}/_pagefleet/{args.dataset}/schema.json"
    wait_for_dataset(spark, schema_path, data_path, args.wait)
    spark.conf.set("spark.databricks.delta.schema.autoMerge.enabled", "true")
    # Only paths and times are read here (binaryFile skips the content column when it is not selected);
    # the files themselves are read in the batch, where each can be cast to the latest schema.
    files = (spark.readStream.format("binaryFile").schema(BINARY_FILE_SCHEMA)
             .option("pathGlobFilter", EXTENSIONS[args.format])
             # no partition inference: a stream started when only _READY exists would otherwise see
             # ingest_date=/run_id= columns appear with the first files and fail ("Invalid batch")
             .option("recursiveFileLookup", "true")
             .option("maxFilesPerTrigger", args.max_files_per_trigger)
             .load(data_path)
             .select("path", "modificationTime"))
    writer = files.writeStream.foreachBatch(Curator(spark, args, schema_path)).option("checkpointLocation", args.checkpoint)
    writer = writer.trigger(availableNow=True) if args.trigger == "available-now" else writer.trigger(processingTime=f"{float(args.trigger)} seconds")
    log("started", landing=root, dataset=args.dataset, format=args.format, output=args.output, trigger=args.trigger)
    query = writer.start()
    query.awaitTermination()
    log("stopped", batches=query.lastProgress and query.lastProgress.get("batchId"))


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    spark = build_session(f"pagefleet-reader-{args.dataset}")
    if args.report:
        from report import format_report, ledger_report

        report = ledger_report(spark, normalize_root(args.landing), args.dataset)
        print(json.dumps(report, indent=1) if args.json else format_report(report))
        return 0
    try:
        stream(spark, args)
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
