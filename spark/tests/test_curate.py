"""curate.py's DataFrame steps on tiny frames (real Spark, no files)."""
import json

from pyspark.sql import functions as F
from pyspark.sql.types import ArrayType, DoubleType, LongType, StringType, StructField, StructType

from pagefleet_spark import curate
from pagefleet_spark.schemas import merge_schemas


def test_align_adds_missing_columns_casts_and_serialises_structs(spark):
    df = spark.createDataFrame([(1, "x", (2, "y"))], "id long, name string, meta struct<a:long,b:string>")
    target = StructType([StructField("id", DoubleType()), StructField("meta", StringType()), StructField("new", LongType())])
    row = curate.align(df, target).first()
    assert row.asDict() == {"id": 1.0, "meta": '{"a":2,"b":"y"}', "new": None}


def test_fit_to_table_keeps_table_types_and_rescues_what_does_not_fit(spark):
    table = StructType([StructField("id", LongType()), StructField("votes", LongType()), StructField("score", DoubleType())])
    df = spark.createDataFrame([(1, "12", 3), (2, "many", 4)], "id long, votes string, score long")
    out = curate.fit_to_table(df, table)
    rows = {r.id: r.asDict() for r in out.collect()}
    assert rows[1] == {"id": 1, "votes": 12, "score": 3.0, "_pf_rescued": None}, "lossless casts, nothing rescued"
    assert rows[2]["votes"] is None
    assert json.loads(rows[2]["_pf_rescued"]) == [{"votes": "many"}], "the value that did not fit is kept as JSON"
    assert dict(out.dtypes)["score"] == "double"


def test_latest_per_key_keeps_the_last_fetch_and_rows_without_a_key(spark):
    df = spark.createDataFrame(
        [(1, "2026-01-01 00:00:01", 1, "old"), (1, "2026-01-01 00:00:05", 2, "new"), (None, "2026-01-01 00:00:00", 3, "keyless")],
        "id long, _pf_fetched_at string, _pf_page long, v string",
    ).withColumn("_pf_fetched_at", F.to_timestamp("_pf_fetched_at"))
    got = sorted((r.id or 0, r.v) for r in curate.latest_per_key(df, "id").collect())
    assert got == [(0, "keyless"), (1, "new")]


def test_read_parquet_files_reads_each_declared_schema_and_keeps_every_value(spark, workdir):
    """Three files whose types cannot be merged by Spark's Parquet reader (vote long / string, a struct
    that gained a field, a column only one file has) land in one frame of the merged schema."""
    frames = {
        "old": spark.createDataFrame([(1, 10, (5,))], "id long, vote long, meta struct<a:long>"),
        "new": spark.createDataFrame([(2, "11", (6, "x"), "hi")], "id long, vote string, meta struct<a:long,b:string>, tagline string"),
        "also-old": spark.createDataFrame([(3, 12, (7,))], "id long, vote long, meta struct<a:long>"),
    }
    files = []
    for name, df in frames.items():
        df.coalesce(1).write.parquet(str(workdir / name))
        [part] = (workdir / name).glob("part-*.parquet")
        files.append((str(part), df.schema))
    target = merge_schemas([s for _, s in files])
    rows = {r.id: r.asDict(recursive=True) for r in curate.read_parquet_files(spark, files, target).collect()}
    assert rows[1] == {"id": 1, "vote": "10", "meta": {"a": 5, "b": None}, "tagline": None}
    assert rows[2] == {"id": 2, "vote": "11", "meta": {"a": 6, "b": "x"}, "tagline": "hi"}
    assert rows[3]["vote"] == "12"


def test_align_turns_a_struct_into_json_inside_an_array(spark):
    df = spark.createDataFrame([([(1, "a")],)], "xs array<struct<n:long,s:string>>")
    target = StructType([StructField("xs", ArrayType(StringType()))])
    assert curate.align(df, target).first().xs == ['{"n":1,"s":"a"}']
