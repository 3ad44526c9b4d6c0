"""The reader's foreachBatch: a micro-batch of landed markers -> the files that count -> one DataFrame
read with every column those files hold -> the curated Delta table.

Exactly once across restarts: every write, append or MERGE, carries (txnAppId = the checkpoint's id,
txnVersion = the batch id), which Delta skips when that pair is already committed. Spark replays a batch
with the same id and the same markers, so a skipped replay loses nothing.
"""
import statistics
import time
from dataclasses import dataclass

from delta.tables import DeltaTable
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import StructType

from pagefleet_spark import curate
from pagefleet_spark.events import log
from pagefleet_spark.identity import create_table
from pagefleet_spark.markers import BlockLogs, counted_markers, parse_marker
from pagefleet_spark.schemas import from_json, merge_schemas
from pagefleet_spark.session import first_row, read_text

TXN_APP_ID = "spark.databricks.delta.write.txnAppId"
TXN_VERSION = "spark.databricks.delta.write.txnVersion"
"""Session confs a Delta command (MERGE included: DeltaCommand.getTxnVersionAndAppId) takes the
idempotency pair from when the command has no writer options."""


@dataclass(frozen=True)
class Target:
    """What a stream reads and where it writes (reader.py's --dataset, --format, --key, --output, --checkpoint)."""

    dataset: str
    format: str
    output: str
    checkpoint: str
    key: str | None = None


class Curator:
    """The foreachBatch function: called by Spark with each micro-batch of landed markers and its id."""

    def __init__(self, spark: SparkSession, target: Target, root: str, schema_path: str, writer_id: str) -> None:
        self.spark = spark
        self.target = target
        self.root = root
        self.schema_path = schema_path
        self.writer_id = writer_id
        self.logs = BlockLogs(spark, root, target.dataset)
        self.table_made = False

    def __call__(self, marker_df: DataFrame, batch_id: int) -> None:
        started = time.time()
        rows = marker_df.select("path", "modificationTime", "content").collect()
        if not rows:
            return
        markers = [{**parse_marker(r.path, r.content), "landed_at": r.modificationTime.timestamp()} for r in rows]
        files, skipped = counted_markers(self.spark, self.root, self.logs, markers)
        for m, reason in skipped:
            log("skipped", batch_id=batch_id, marker=m["marker"], file=m["file"], reason=reason)
        own = [(f"{self.root}/{m['file']}", from_json(m.get("schema"))) for m in files]
        schema = merge_schemas([from_json(read_text(self.spark, self.schema_path))] + [s for _, s in own])
        # reader.stream made the table at start; should it be gone by the first batch, it is made again
        # before Spark records that batch, so a checkpoint with progress always has a table
        self.make_table(schema)
        if not files:
            return
        if self.target.format == "parquet":
            df = curate.read_parquet_files(self.spark, own, schema)
        else:
            df = curate.read_ndjson_files(self.spark, [p for p, _ in own], schema)
        if self.target.key:
            df = curate.latest_per_key(df, self.target.key)
        written = self.write(df, batch_id)
        done = time.time()
        lags = sorted(done - m["landed_at"] for m in files)
        log("batch", batch_id=batch_id, files=len(files), skipped=len(skipped), rows=written,
            seconds=round(done - started, 3), freshness_median_s=round(statistics.median(lags), 3),
            freshness_max_s=round(lags[-1], 3), freshness_s=[round(x, 3) for x in lags])

    def make_table(self, schema: StructType) -> None:
        """Makes the table unless this process made it already or it exists."""
        t = self.target
        if not self.table_made and not DeltaTable.isDeltaTable(self.spark, t.output):
            create_table(self.spark, t.output, t.checkpoint, schema, self.writer_id)
        self.table_made = True

    def write(self, df: DataFrame, batch_id: int) -> int:
        """Appends (or MERGEs on --key) the batch; the rows it wrote, 0 when Delta skipped a replay."""
        out = self.target.output
        table = DeltaTable.forPath(self.spark, out)
        before = first_row(table.history(1))["version"]
        df = curate.fit_to_table(df, table.toDF().schema)
        if self.target.key:
            self.merge(table, df, self.target.key, batch_id)
        else:
            (df.write.format("delta").mode("append").option("mergeSchema", "true")
                .option("txnAppId", self.writer_id).option("txnVersion", batch_id).save(out))
        last = first_row(DeltaTable.forPath(self.spark, out).history(1))
        if last["version"] == before:
            log("replayed", batch_id=batch_id, note="already committed by this checkpoint: Delta skipped it")
            return 0
        metrics: dict[str, str] = last["operationMetrics"] or {}
        return sum(int(metrics.get(k) or 0) for k in ("numOutputRows", "numTargetRowsInserted", "numTargetRowsUpdated"))

    def merge(self, table: DeltaTable, df: DataFrame, k: str, batch_id: int) -> None:
        """Upsert on --key `k`: a row replaces the table's only if fetched later; rows without a key are inserted."""
        self.spark.conf.set(TXN_APP_ID, self.writer_id)
        self.spark.conf.set(TXN_VERSION, str(batch_id))
        try:
            (table.alias("t")
                .merge(df.alias("s"), f"t.`{k}` = s.`{k}`")
                .whenMatchedUpdateAll(condition="s._pf_fetched_at > t._pf_fetched_at")
                .whenNotMatchedInsertAll()
                .execute())
        finally:
            self.spark.conf.unset(TXN_APP_ID)
            self.spark.conf.unset(TXN_VERSION)
