"""identity.py: a checkpoint and the table it writes must belong together (pure rules, then the real
Delta table and checkpoint folder through the in-process Spark session)."""
import json

import pytest
from deltalake import DeltaTable
from pyspark.sql.types import LongType, StructField, StructType

from pagefleet_spark.identity import ID_FILE, TABLE_PROPERTY, IdentityError, claim, create_table, decide

SCHEMA = StructType([StructField("id", LongType(), True)])


def test_decide():
    assert decide(None, False, False, None, False) == "create", "first start"
    assert decide("a", False, False, None, False) == "create", "crashed before the table was made"
    assert decide("a", True, True, "a", True) == "ok"
    assert decide("a", False, True, "a", True) == "ok", "batch 0 written, not yet committed in the checkpoint: Delta skips its replay"
    assert decide(None, False, True, "a", False) == "adopt", "an empty table: nothing to duplicate"
    with pytest.raises(IdentityError, match="checkpoint is new"):
        decide(None, False, True, "a", True)  # checkpoint deleted and recreated
    with pytest.raises(IdentityError, match="checkpoint is new"):
        decide("b", False, True, "a", True)
    with pytest.raises(IdentityError, match="table does not exist"):
        decide("a", True, False, None, False)  # table deleted, checkpoint kept
    with pytest.raises(IdentityError, match="into another table"):
        decide("a", True, True, "b", False)  # pointed at another (empty) table
    with pytest.raises(IdentityError, match="into another table"):
        decide("a", True, True, None, True)  # a table reader.py did not make


def test_claim_then_first_batch_table_then_the_same_pair_then_a_reset_is_refused(spark, workdir):
    out, ckpt = str(workdir / "table"), str(workdir / "ckpt")
    mine = claim(spark, out, ckpt)
    assert json.loads((workdir / "ckpt" / ID_FILE).read_text())["checkpoint_id"] == mine
    assert not (workdir / "table").exists(), "the first batch makes the table"
    create_table(spark, out, ckpt, SCHEMA, mine)
    table = DeltaTable(out)
    assert table.metadata().configuration[TABLE_PROPERTY] == mine, "delta-rs sees the id the table was made with"
    assert table.schema().fields[0].name == "id"
    assert claim(spark, out, ckpt) == mine, "the same pair again"

    spark.createDataFrame([(1,)], SCHEMA).write.format("delta").mode("append").save(out)
    (workdir / "ckpt" / ID_FILE).unlink()  # a reset checkpoint (the id file and the rest deleted)
    with pytest.raises(IdentityError) as e:
        claim(spark, out, ckpt)
    line = str(e.value)
    assert "\n" not in line and out in line and ckpt in line and mine in line
    assert f"delete both {out} and {ckpt}" in line and "point --checkpoint back" in line
    assert not (workdir / "ckpt" / ID_FILE).exists(), "a refused start leaves the checkpoint as it was"


def test_an_empty_table_is_taken_over(spark, workdir):
    out = str(workdir / "table")
    create_table(spark, out, str(workdir / "old"), SCHEMA, "old-id")
    mine = claim(spark, out, str(workdir / "new"))
    assert mine != "old-id" and DeltaTable(out).metadata().configuration[TABLE_PROPERTY] == mine


def test_a_table_reader_py_did_not_make_is_refused_when_it_holds_data(spark, workdir):
    out = str(workdir / "foreign")
    spark.createDataFrame([(1,)], SCHEMA).write.format("delta").save(out)  # no checkpoint id property
    with pytest.raises(IdentityError, match="written under checkpoint id none"):
        claim(spark, out, str(workdir / "ckpt"))
