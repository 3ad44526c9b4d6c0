"""Which checkpoint writes the curated table.

A streaming checkpoint remembers which landed markers were processed; the Delta table remembers which
(txnAppId, txnVersion) writes it holds. Both must describe the same history, or rows are lost (a
checkpoint pointed at another table skips markers that table never got) or duplicated (a fresh
checkpoint re-reads every marker into a table that has them). So:

- each checkpoint gets a random id once, stored inside it (`pagefleet-checkpoint.json`);
- the table is created by the reader (once the dataset appears, before any batch is recorded) with that id
  as its property `pagefleet.checkpoint_id`, and every batch writes with txnAppId = that id, txnVersion =
  the batch id (Delta skips a replayed batch);
- on start, a table holding data under another id, a table without the id (made by someone else), or a
  checkpoint that has committed batches but a table that is gone or empty under another id, is refused.
"""
import json
import uuid

from delta.tables import DeltaTable
from pyspark.sql import SparkSession
from pyspark.sql.types import StructType

from pagefleet_spark.session import create_text, first_row, list_names, read_text

ID_FILE = "pagefleet-checkpoint.json"
TABLE_PROPERTY = "pagefleet.checkpoint_id"


class IdentityError(Exception):
    """The checkpoint and the table do not belong together (exit 2)."""


def decide(checkpoint_id: str | None, checkpoint_progress: bool, table_exists: bool, table_id: str | None, table_has_data: bool) -> str:
    """What to do on start (pure): "create" (the reader makes the table), "ok", or "adopt" an empty
    table (set its id to ours). Raises IdentityError with the reason when the pair does not belong together."""
    if not table_exists:
        if checkpoint_progress:
            raise IdentityError("the checkpoint has committed batches but the table does not exist: their files would never be read again")
        return "create"
    if checkpoint_id is not None and table_id == checkpoint_id:
        return "ok"
    if checkpoint_progress:
        raise IdentityError("the checkpoint has committed batches into another table: files it has seen would never reach this one")
    if table_has_data:
        raise IdentityError("the checkpoint is new (or was reset) but the table holds data: every file would be read into it again")
    return "adopt"


def refusal(output: str, checkpoint: str, have: str | None, table_id: str | None, reason: str) -> str:
    """The one line printed before exit 2."""
    return (f"--checkpoint: {checkpoint} (checkpoint id {have or 'none'}) does not match --output {output} "
            f"(written under checkpoint id {table_id or 'none'}): {reason}; to rebuild, delete both {output} and "
            f"{checkpoint}, or point --checkpoint back to the checkpoint that wrote {output}")


def checkpoint_id(spark: SparkSession, checkpoint: str) -> str | None:
    """The id stored in the checkpoint, or None when it has none yet."""
    text = read_text(spark, f"{checkpoint}/{ID_FILE}")
    return str(json.loads(text)["checkpoint_id"]) if text else None


def checkpoint_progress(spark: SparkSession, checkpoint: str) -> bool:
    """True once the stream committed a batch (Spark writes `commits/<batch id>` after each)."""
    return any(not n.startswith(".") for n in list_names(spark, f"{checkpoint}/commits"))


def create_checkpoint_id(spark: SparkSession, checkpoint: str, output: str) -> str:
    """Gives a checkpoint its id (once: a concurrent start that lost the race reads the winner's)."""
    fresh = uuid.uuid4().hex
    create_text(spark, f"{checkpoint}/{ID_FILE}", json.dumps({"checkpoint_id": fresh, "output": output}))
    mine = checkpoint_id(spark, checkpoint)
    if mine is None:
        raise IdentityError(f"--checkpoint: {checkpoint}/{ID_FILE} could not be written")
    return mine


def table_owner(spark: SparkSession, output: str) -> tuple[bool, str | None]:
    """(exists, its checkpoint id property or None) of the Delta table at `output`. Table properties come
    from the log's metadata alone (no scan of the table state, which costs seconds on a cold JVM)."""
    if not DeltaTable.isDeltaTable(spark, output):
        return False, None
    rows = spark.sql(f"SHOW TBLPROPERTIES {delta_ref(output)}").collect()
    return True, {r.key: r.value for r in rows}.get(TABLE_PROPERTY)


def delta_ref(output: str) -> str:
    """The table at a path, in SQL (a backtick in the path doubled)."""
    return "delta.`" + output.replace("`", "``") + "`"


def table_has_data(spark: SparkSession, output: str) -> bool:
    """Whether the table holds any data file (a scan of its state)."""
    return (first_row(DeltaTable.forPath(spark, output).detail())["numFiles"] or 0) > 0


def claim(spark: SparkSession, output: str, checkpoint: str) -> str:
    """Checks the pair on start, before anything is streamed, and returns the checkpoint id to write with
    (made now for a new checkpoint). An existing empty table is taken over; a missing one is made
    (create_table) once the dataset appears, before Spark records any batch in the checkpoint."""
    have = checkpoint_id(spark, checkpoint)
    exists, owner = table_owner(spark, output)
    ours = have is not None and owner == have
    has_data = exists and not ours and table_has_data(spark, output)  # a scan: only when it is not ours
    try:
        action = decide(have, checkpoint_progress(spark, checkpoint), exists, owner, has_data)
    except IdentityError as e:
        raise IdentityError(refusal(output, checkpoint, have, owner, str(e))) from None
    mine = have or create_checkpoint_id(spark, checkpoint, output)
    if action == "adopt":
        spark.sql(f"ALTER TABLE {delta_ref(output)} SET TBLPROPERTIES ('{TABLE_PROPERTY}' = '{mine}')")
        check_owner(spark, output, checkpoint, mine)
    return mine


def create_table(spark: SparkSession, output: str, checkpoint: str, schema: StructType, mine: str) -> None:
    """Makes the (empty) table with `schema` and the checkpoint's id, unless it exists by now."""
    DeltaTable.createIfNotExists(spark).location(output).addColumns(schema).property(TABLE_PROPERTY, mine).execute()
    check_owner(spark, output, checkpoint, mine)


def check_owner(spark: SparkSession, output: str, checkpoint: str, mine: str) -> None:
    """Another reader may have made or taken the table at the same moment."""
    _, owner = table_owner(spark, output)
    if owner != mine:
        raise IdentityError(refusal(output, checkpoint, mine, owner, "another checkpoint took the table at the same time"))
