"""The SparkSession every pagefleet Spark job uses: Delta Lake, and s3a configured from the same
environment variables the fetcher reads (AWS_ENDPOINT_URL_S3, AWS_REGION, AWS_ACCESS_KEY_ID, ...)."""
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

from pyspark.sql import DataFrame, Row, SparkSession


def s3a_conf(env: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Hadoop s3a settings from the AWS environment; empty when nothing S3-specific is set."""
    conf: dict[str, str] = {}
    endpoint = env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL")
    if endpoint:
        url = urlparse(endpoint)
        conf["fs.s3a.endpoint"] = endpoint
        conf["fs.s3a.path.style.access"] = env.get("PAGEFLEET_S3_PATH_STYLE", "true")
        conf["fs.s3a.connection.ssl.enabled"] = str(url.scheme == "https").lower()
        # S3-compatible servers often lack these AWS features (hadoop-aws third_party_stores.md)
        conf["fs.s3a.change.detection.mode"] = "none"
        conf["fs.s3a.create.conditional.enabled"] = "false"
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or ("us-east-1" if endpoint else None)
    if region:
        conf["fs.s3a.endpoint.region"] = region
    if env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY"):
        conf["fs.s3a.aws.credentials.provider"] = (
            "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider"
            if env.get("AWS_SESSION_TOKEN")
            else "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"
        )
        conf["fs.s3a.access.key"] = env["AWS_ACCESS_KEY_ID"]
        conf["fs.s3a.secret.key"] = env["AWS_SECRET_ACCESS_KEY"]
        if env.get("AWS_SESSION_TOKEN"):
            conf["fs.s3a.session.token"] = env["AWS_SESSION_TOKEN"]
    return conf


def build_session(app_name: str, master: str | None = None, conf: Mapping[str, str] | None = None) -> SparkSession:
    builder = (
        SparkSession.builder.appName(app_name)
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", "UTC")
        # Delta rebuilds its table state with this many tasks on every commit (default 50): a stream of
        # small commits spends most of its time there. Raise it for tables with millions of files.
        .config("spark.databricks.delta.snapshotPartitions", os.environ.get("PAGEFLEET_DELTA_SNAPSHOT_PARTITIONS", "4"))
        .config("spark.ui.enabled", "false")
    )
    if master:
        builder = builder.master(master)
    for key, value in s3a_conf().items():
        builder = builder.config(f"spark.hadoop.{key}", value)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(os.environ.get("PAGEFLEET_SPARK_LOG_LEVEL", "WARN"))
    return spark


def first_row(df: DataFrame) -> Row:
    """The first row of a DataFrame that always has one (a table's detail, its last history entry)."""
    row = df.first()
    if row is None:
        raise RuntimeError("expected a row, got none")
    return row


def jvm(spark: SparkSession) -> Any:
    """The driver's py4j gateway into the JVM (None only once the session is stopped)."""
    gateway = spark.sparkContext._jvm
    if gateway is None:
        raise RuntimeError("the SparkSession is stopped: no JVM to call")
    return gateway


def hadoop_path(spark: SparkSession, path: str) -> tuple[Any, Any]:
    """(FileSystem, Path) for a local path or s3a:// URL, through Spark's Hadoop configuration (py4j proxies of
    org.apache.hadoop.fs.FileSystem and Path: untyped, hence Any)."""
    p = jvm(spark).org.apache.hadoop.fs.Path(path)
    return p.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), p


def read_text(spark: SparkSession, path: str) -> str | None:
    """A small file's text, or None when it does not exist."""
    fs, p = hadoop_path(spark, path)
    if not fs.exists(p):
        return None
    stream = fs.open(p)
    try:
        return str(jvm(spark).org.apache.commons.io.IOUtils.toString(stream, "UTF-8"))
    finally:
        stream.close()


def exists(spark: SparkSession, path: str) -> bool:
    """Whether a file or folder exists."""
    fs, p = hadoop_path(spark, path)
    return bool(fs.exists(p))


def normalize_root(root: str) -> str:
    """s3://bucket/prefix (the fetcher's spelling) becomes s3a://bucket/prefix for Hadoop; no trailing slash."""
    if root.startswith("s3://"):
        root = "s3a://" + root[len("s3://"):]
    return root.rstrip("/")


def file_length(spark: SparkSession, path: str) -> int | None:
    """A file's length in bytes, or None when it does not exist."""
    fs, p = hadoop_path(spark, path)
    try:
        return int(fs.getFileStatus(p).getLen())
    except Exception as e:  # py4j wraps java.io.FileNotFoundException; decide by its class, not its text
        if _java_class(e) == "java.io.FileNotFoundException":
            return None
        raise


def list_names(spark: SparkSession, folder: str) -> list[str]:
    """Names of the entries directly in `folder` (sorted), [] when it does not exist."""
    fs, p = hadoop_path(spark, folder)
    try:
        return sorted(s.getPath().getName() for s in fs.listStatus(p))
    except Exception as e:
        if _java_class(e) == "java.io.FileNotFoundException":
            return []
        raise


def create_text(spark: SparkSession, path: str, text: str) -> bool:
    """Writes a small file only if it does not exist yet; False when it already did."""
    fs, p = hadoop_path(spark, path)
    try:
        stream = fs.create(p, False)
    except Exception as e:
        if _java_class(e) == "org.apache.hadoop.fs.FileAlreadyExistsException":
            return False
        raise
    try:
        stream.write(bytearray(text.encode("utf-8")))
    finally:
        stream.close()
    return True


def _java_class(error: BaseException) -> str | None:
    java = getattr(error, "java_exception", None)
    return java.getClass().getName() if java is not None else None
