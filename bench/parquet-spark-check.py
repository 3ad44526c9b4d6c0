"""Bench helper (optional, `--spark`): Spark reads each candidate's file with the vectorized reader on
and off; prints one JSON line per file and mode. Needs pyspark importable (e.g. PYTHONPATH) and Java 17+.

usage: parquet-spark-check.py FILE...
"""
import json
import sys

from pyspark.sql import SparkSession

spark = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
         .config("spark.sql.session.timeZone", "UTC").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
for path in sys.argv[1:]:
    for vectorized in ["true", "false"]:
        spark.conf.set("spark.sql.parquet.enableVectorizedReader", vectorized)
        spark.conf.set("spark.sql.parquet.enableNestedColumnVectorizedReader", vectorized)
        df = spark.read.parquet(path)
        agg = df.selectExpr(
            "count(*) as rows", "sum(size(keywords)) as keywords", "sum(production.revenue) as revenue",
            "count(poster_path) as posters", "sum(cast(adult as int)) as adult",
            "cast(max(updated_at) as string) as max_updated_at", "max(_pf_page) as max_page",
        ).collect()[0].asDict()
        row10 = df.where("id = 100010").select("keywords", "production").collect()[0]
        print(json.dumps({"file": path.split("/")[-1], "vectorized": vectorized, "spark": spark.version,
                          "updated_at": dict(df.dtypes)["updated_at"], **agg,
                          "row10_keywords": row10["keywords"], "row10_production": row10["production"].asDict(True)}))
spark.stop()
