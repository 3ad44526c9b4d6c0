"""DataFrame steps between landed files and the curated table: read files whose types may differ,
align them to one schema, keep the latest record per key, and fit a batch to the table's columns."""
from collections.abc import Sequence

from pyspark.sql import Column, DataFrame, DataFrameReader, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import ArrayType, DataType, DoubleType, LongType, MapType, StringType, StructField, StructType
from pyspark.sql.window import Window

RESCUED = "_pf_rescued"
"""Values that did not fit the curated table's column type, as JSON text: nothing is dropped silently."""


def read_parquet_files(spark: SparkSession, files: Sequence[tuple[str, StructType | None]], schema: StructType) -> DataFrame:
    """Landed Parquet files, aligned to `schema`. `files` is [(path, the file's own schema or None)].
    Files declaring the same schema are read together with it (no footer inference, no merge); a file
    declaring none is read alone with its footer's. Each group is then cast to `schema`, so a file written
    before a column widened (long before the fetcher saw a double) keeps every value.

    Which files are read together is decided from the declared schemas alone, before Spark reads
    anything: never by trying a merged read and catching what Spark says when it fails."""
    groups: dict[str, tuple[StructType | None, list[str]]] = {}
    for path, own in files:
        key = own.json() if own is not None else f"footer:{path}"
        groups.setdefault(key, (own, []))[1].append(path)
    frames = []
    for own, paths in groups.values():
        reader: DataFrameReader = spark.read.schema(own) if own is not None else spark.read
        frames.append(align(reader.parquet(*paths), schema))
    out = frames[0]
    for f in frames[1:]:
        out = out.unionByName(f)
    return out


def read_ndjson_files(spark: SparkSession, paths: list[str], schema: StructType) -> DataFrame:
    """Landed NDJSON (gzip) read with `schema`; a line that does not fit it lands whole in _pf_rescued."""
    with_rescue = StructType([*schema.fields, StructField(RESCUED, StringType())])
    return spark.read.schema(with_rescue).option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", RESCUED).json(paths)


def align(df: DataFrame, schema: StructType) -> DataFrame:
    """`df` with exactly the columns of `schema`, in its order and types (plus _pf_rescued if present).
    Missing columns are null; a type that differs is converted (see conform)."""
    have = {f.name: f.dataType for f in df.schema.fields}
    cols = []
    for field in schema.fields:
        if field.name not in have:
            cols.append(F.lit(None).cast(field.dataType).alias(field.name))
        else:
            cols.append(conform(F.col(field.name), have[field.name], field.dataType).alias(field.name))
    if RESCUED in have and RESCUED not in schema.fieldNames():
        cols.append(F.col(RESCUED))
    return df.select(*cols)


def conform(col: Column, source: DataType, target: DataType) -> Column:
    """`col` (of type `source`) as `target`: nested structs and arrays field by field (a field the value
    lacks is null), structs and arrays into a string column as JSON text, other types cast (a value that
    cannot be cast is null: ANSI mode would fail the batch)."""
    if source == target:
        return col
    if isinstance(target, StringType) and isinstance(source, (StructType, ArrayType, MapType)):
        return F.to_json(col)
    if isinstance(target, StructType) and isinstance(source, StructType):
        have = {f.name: f.dataType for f in source.fields}
        fields = [
            (conform(col.getField(f.name), have[f.name], f.dataType) if f.name in have else F.lit(None).cast(f.dataType)).alias(f.name)
            for f in target.fields
        ]
        return F.when(col.isNull(), F.lit(None).cast(target)).otherwise(F.struct(*fields))
    if isinstance(target, ArrayType) and isinstance(source, ArrayType):
        return F.transform(col, lambda x: conform(x, source.elementType, target.elementType))
    return col.try_cast(target)


def latest_per_key(df: DataFrame, key: str) -> DataFrame:
    """One row per `key`: the one fetched last (ties: the later page). Rows without a key are kept."""
    order = Window.partitionBy(key).orderBy(F.col("_pf_fetched_at").desc_nulls_last(), F.col("_pf_page").desc_nulls_last())
    keyed = df.where(F.col(key).isNotNull()).withColumn("_pf_rank", F.row_number().over(order)).where("_pf_rank = 1").drop("_pf_rank")
    return keyed.unionByName(df.where(F.col(key).isNull()))


def fit_to_table(df: DataFrame, table_schema: StructType) -> DataFrame:
    """A batch fitted to an existing table: new columns are kept (the table gains them); a column whose
    type differs from the table's is cast to the table's type when that loses nothing (long into double,
    anything into string), else the value is moved into _pf_rescued as {"column": value} JSON."""
    table = {f.name: f.dataType for f in table_schema.fields}
    rescued: list[Column] = []
    cols: list[Column] = []
    for field in df.schema.fields:
        want = table.get(field.name)
        if want is None or want == field.dataType or field.name == RESCUED:
            cols.append(F.col(field.name))
        elif isinstance(want, StringType) or (isinstance(want, DoubleType) and isinstance(field.dataType, LongType)):
            cols.append(conform(F.col(field.name), field.dataType, want).alias(field.name))
        else:
            cast = F.col(field.name).try_cast(want)
            lossy = F.col(field.name).isNotNull() & (cast.isNull() | (cast.cast("string") != F.col(field.name).cast("string")))
            cols.append(F.when(lossy, F.lit(None).cast(want)).otherwise(cast).alias(field.name))
            rescued.append(F.when(lossy, F.to_json(F.struct(F.col(field.name).alias(field.name)))))
    if rescued:
        merged = F.concat_ws(",", *rescued)  # each piece is {"column": value}
        piece = F.when(merged != "", F.concat(F.lit("["), merged, F.lit("]")))
        existing = F.col(RESCUED) if RESCUED in df.columns else F.lit(None).cast("string")
        cols = [c for c, f in zip(cols, df.schema.fields, strict=True) if f.name != RESCUED] + [F.coalesce(existing, piece).alias(RESCUED)]
    return df.select(*cols)
