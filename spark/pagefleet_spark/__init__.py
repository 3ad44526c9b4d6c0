"""pagefleet's Spark side: streams a landing zone into a curated Delta table (reader), and renders the
ledger report of a dataset's runs (report). spark/reader.py is the spark-submit entry that runs
pagefleet_spark.reader.main; the package folder sits beside it, where Python finds it."""
