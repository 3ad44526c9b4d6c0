"""The schema a micro-batch is read with: the dataset's schema.json merged with the schema each landed
file declares (its commit entry's `schema`, which is the file's own Parquet schema or the type of its
NDJSON lines). The rules are the fetcher's (src/format/schema.ts), so a column is never dropped:

- a column missing on one side is kept (its values are null where missing);
- long + double = double; timestamp + string = string;
- struct + struct = the union of their fields (first-seen order); array + array = array of the merge;
- any other conflict = string: the value's JSON text (curate.conform writes structs and arrays as JSON).
"""
import json
from collections.abc import Iterable
from typing import Any

from pyspark.sql.types import ArrayType, DataType, DoubleType, LongType, StringType, StructField, StructType, TimestampType


def merge_types(a: DataType, b: DataType) -> DataType:
    """The type that holds values of both `a` and `b` without loss."""
    if a == b:
        return a
    if isinstance(a, StructType) and isinstance(b, StructType):
        return merge_schemas([a, b])
    if isinstance(a, ArrayType) and isinstance(b, ArrayType):
        return ArrayType(merge_types(a.elementType, b.elementType), True)
    if {type(a), type(b)} == {LongType, DoubleType}:
        return DoubleType()
    if {type(a), type(b)} == {TimestampType, StringType}:
        return StringType()
    return StringType()


def merge_schemas(schemas: Iterable[StructType | None]) -> StructType:
    """The union of `schemas` (StructTypes, None ignored): every field of each, in first-seen order,
    each with the merge of its types. All fields are nullable."""
    order: list[str] = []
    types: dict[str, DataType] = {}
    for schema in schemas:
        for field in (schema.fields if schema is not None else []):
            if field.name in types:
                types[field.name] = merge_types(types[field.name], field.dataType)
            else:
                order.append(field.name)
                types[field.name] = field.dataType
    return StructType([StructField(name, types[name], True) for name in order])


def from_json(value: str | dict[str, Any] | None) -> StructType | None:
    """A StructType from its JSON form (a dict, or text), or None when absent."""
    if value is None:
        return None
    return StructType.fromJson(json.loads(value) if isinstance(value, str) else value)
