"""schemas.py's merge rules (pure: Spark types only, no session)."""
from pyspark.sql.types import ArrayType, DoubleType, LongType, StringType, StructField, StructType, TimestampType

from pagefleet_spark.schemas import from_json, merge_schemas, merge_types


def struct(**fields):
    return StructType([StructField(n, t, True) for n, t in fields.items()])


def test_a_column_on_either_side_is_kept_in_first_seen_order():
    got = merge_schemas([struct(id=LongType(), title=StringType()), None, struct(id=LongType(), tagline=StringType())])
    assert got.fieldNames() == ["id", "title", "tagline"]


def test_widening_and_conflicts_never_drop_a_value():
    assert merge_types(LongType(), DoubleType()) == DoubleType()
    assert merge_types(DoubleType(), LongType()) == DoubleType()
    assert merge_types(TimestampType(), StringType()) == StringType()
    assert merge_types(LongType(), StringType()) == StringType(), "conflict: JSON text"
    assert merge_types(struct(a=LongType()), LongType()) == StringType()
    assert merge_types(ArrayType(LongType()), struct(a=LongType())) == StringType()


def test_nested_structs_and_arrays_merge_field_by_field():
    a = struct(production=struct(budget=LongType()), tags=ArrayType(struct(x=LongType())))
    b = struct(production=struct(budget=DoubleType(), countries=ArrayType(StringType())), tags=ArrayType(struct(y=StringType())))
    got = merge_schemas([a, b])
    assert got["production"].dataType == struct(budget=DoubleType(), countries=ArrayType(StringType()))
    assert got["tags"].dataType == ArrayType(struct(x=LongType(), y=StringType()))


def test_from_json_reads_the_commit_entry_form():
    marker_schema = {"type": "struct", "fields": [{"name": "id", "type": "long", "nullable": True, "metadata": {}}]}
    assert from_json(marker_schema) == struct(id=LongType())
    assert from_json(None) is None
