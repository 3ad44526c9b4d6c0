"""The spark-submit entry of pagefleet's Spark reader: `spark-submit spark/reader.py --landing ROOT ...`
(usage and exit codes: pagefleet_spark/reader.py). The code is the package pagefleet_spark beside this
file, which Python finds because it puts a script's own folder first on sys.path."""
import sys

from pagefleet_spark.reader import main

if __name__ == "__main__":
    sys.exit(main())
