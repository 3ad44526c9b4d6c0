"""Real parts for the Spark tests: the built pagefleet CLI, the demo API and moto_server as processes,
and spark-submit with the jars spark/fetch-jars.sh fetched."""
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import boto3
import pytest
from deltalake import DeltaTable

REPO = Path(__file__).resolve().parents[2]
CLI = REPO / "dist/src/cli/main.js"
VENV_BIN = Path(sys.executable).parent
JARS_DIR = Path(os.environ.get("PAGEFLEET_SPARK_JARS", REPO / ".tools/spark-jars"))


def jars():
    found = sorted(str(p) for p in JARS_DIR.glob("*.jar"))
    if not found:
        raise RuntimeError(f"no jars in {JARS_DIR}: run bash spark/fetch-jars.sh")
    return ",".join(found)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pagefleet(args, env=None, **kw):
    """Runs `pagefleet ...` to completion."""
    return subprocess.run(["node", str(CLI), *args], env={**os.environ, **(env or {})}, capture_output=True, text=True, **kw)


def pagefleet_bg(args, env=None):
    return subprocess.Popen(["node", str(CLI), *args], env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def spark_submit_cmd(script_args, master="local[2]"):
    return [
        str(VENV_BIN / "spark-submit"), "--master", master, "--jars", jars(),
        "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=4",
        str(REPO / "spark/reader.py"), *script_args,
    ]


def spark_env(extra=None):
    return {**os.environ, "PYSPARK_PYTHON": sys.executable, "PAGEFLEET_SPARK_LOG_LEVEL": "ERROR", **(extra or {})}


def spark_submit(script_args, env=None, timeout=600):
    return subprocess.run(spark_submit_cmd(script_args), env=spark_env(env), capture_output=True, text=True, timeout=timeout)


def spark_submit_bg(script_args, env=None, log=None):
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 (the child writes it until it ends)
    return subprocess.Popen(spark_submit_cmd(script_args), env=spark_env(env), stdout=out, stderr=subprocess.STDOUT, text=True)


class DemoApi:
    def __init__(self, flags):
        self.proc = subprocess.Popen(["node", str(CLI), "mock-api", "--port", "0", *flags], stdout=subprocess.PIPE, text=True)
        self.url = json.loads(self.proc.stdout.readline())["url"]

    def stats(self):
        with urllib.request.urlopen(f"{self.url}/_stats") as r:
            return json.load(r)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture
def demo_api():
    started = []

    def start(*flags):
        api = DemoApi([str(f) for f in flags])
        started.append(api)
        return api

    yield start
    for api in started:
        api.stop()


class Moto:
    def __init__(self):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.endpoint, timeout=1)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
        self.env = {
            "AWS_ENDPOINT_URL_S3": self.endpoint,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_REGION": "us-east-1",
        }

    def create_bucket(self, name):
        s3 = boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
        s3.create_bucket(Bucket=name)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture(scope="session")
def moto():
    m = Moto()
    yield m
    m.stop()


@pytest.fixture
def workdir():
    with tempfile.TemporaryDirectory(prefix="pf-spark-") as d:
        yield Path(d)


def write_job(path, api_url, root, dataset="movies", extra="", formats="parquet, ndjson", file_target="20KiB", route="/3/movie/popular"):
    path.write_text(
        f"""dataset: {dataset}
source: {{ url: "{api_url}{route}", records: results }}
pagination: {{ page: {{ total_pages: total_pages }} }}
{extra}
output: {{ root: "{root}", formats: [{formats}], file_target: {file_target} }}
"""
    )
    return path


def reader_args(root, out, fmt="parquet", trigger="available-now", extra=(), table="table", checkpoint="checkpoint"):
    return ["--landing", str(root), "--dataset", "movies", "--format", fmt, "--output", str(out / table),
            "--checkpoint", str(out / checkpoint), "--trigger", trigger, *extra]


def events(log):
    """The reader's JSON event lines, from a log file or a captured stdout string."""
    text = log if isinstance(log, str) else log.read_text()
    out = []
    for line in text.splitlines():
        if line.startswith("{"):
            with contextlib.suppress(json.JSONDecodeError):
                out.append(json.loads(line))
    return out


def curated(path):
    """The curated table as delta-rs reads it (not Spark): pyarrow table."""
    return DeltaTable(str(path)).to_pyarrow_table()


def wait_rows(path, n, timeout=240):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if curated(path).num_rows >= n:
                return
        except Exception:
            pass
        time.sleep(1)
    raise AssertionError(f"curated table did not reach {n} rows")


@pytest.fixture(scope="session")
def spark(moto):
    """The one in-process SparkSession of a pytest run (local[2], Delta, the fetched jars), with s3a
    pointed at moto_server. One per process: getOrCreate would hand every later caller the first one."""
    # imported here, not at the top: bench/spark-freshness.py imports this conftest outside pytest, where
    # spark/ (pyproject.toml's pythonpath) is not on sys.path and the package is not needed
    from pagefleet_spark.session import build_session

    saved = dict(os.environ)
    os.environ.update(moto.env)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PAGEFLEET_SPARK_LOG_LEVEL", "ERROR")
    # the JVM starts with the first session, so the jars are given at its launch
    os.environ["PYSPARK_SUBMIT_ARGS"] = f"--conf spark.jars={jars()} --conf spark.sql.shuffle.partitions=4 pyspark-shell"
    try:
        session = build_session("pagefleet-tests", master="local[2]")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    yield session
    session.stop()
