"""What the Airflow tests share: paths, the `airflow` CLI in a throwaway home, the demo API, pagefleet.

Every `airflow` subprocess gets its own AIRFLOW_HOME (a sqlite metadata DB inside it); the demo API is the
real `pagefleet mock-api` on 127.0.0.1; spark-submit is the main venv's, with PYSPARK_PYTHON from it too.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "airflow" / "dags"
CLI = REPO / "dist" / "src" / "cli" / "main.js"
MAIN_PY = REPO / ".venv" / "bin" / "python"
SPARK_SUBMIT = REPO / ".venv" / "bin" / "spark-submit"
AIRFLOW = Path(sys.executable).parent / "airflow"


def airflow_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(DAGS),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__UNIT_TEST_MODE="False",
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{home}/airflow.db",
        AIRFLOW__LOGGING__LOGGING_LEVEL="INFO",
        AIRFLOW_CONN_PAGEFLEET_SPARK=json.dumps({"conn_type": "spark", "host": "local[2]"}),
        PAGEFLEET_SPARK_SUBMIT=str(SPARK_SUBMIT),
        PAGEFLEET_AIRFLOW_RETRY_DELAY="1",  # `airflow dags test` honours retry delays
        # spark: small driver, no UI, quiet
        SPARK_LOCAL_IP="127.0.0.1",
        PYSPARK_PYTHON=str(MAIN_PY),
    )
    return env


def require_end_to_end() -> None:
    """Node, Java, the built CLI, the main venv's spark-submit and the Airflow CLI must be there."""
    needed = [CLI, MAIN_PY, SPARK_SUBMIT, AIRFLOW]
    missing = [str(p) for p in needed if not p.exists()]
    if missing or not shutil.which("node") or not shutil.which("java"):
        # a skip would read as "not tested": in CI (scripts/setup.sh ran) it is a failure
        problem = f"end-to-end prerequisites missing: {missing or 'node/java'}"
        (pytest.fail if os.environ.get("CI") else pytest.skip)(problem)


def airflow(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(AIRFLOW), *args], env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


def airflow_home(tmp: Path, variables: dict[str, str] | None = None) -> dict[str, str]:
    """A migrated metadata DB in tmp/airflow_home; `variables` become Variables pagefleet_<name>."""
    home = tmp / "airflow_home"
    home.mkdir()
    env = airflow_env(home)
    env.update({f"AIRFLOW_VAR_PAGEFLEET_{k.upper()}": v for k, v in (variables or {}).items()})
    res = airflow(env, "db", "migrate", timeout=120)
    assert res.returncode == 0, res.stderr[-3000:]
    return env


@contextmanager
def demo_api(tmp: Path, *args: str):
    """`pagefleet mock-api --port 0 ARGS`; yields its base URL, stops it on exit."""
    out = open(tmp / "api.out", "w+")
    proc = subprocess.Popen(
        ["node", str(CLI), "mock-api", "--port", "0", *args],
        stdout=out, stderr=open(tmp / "api.err", "w"), cwd=REPO,
    )
    try:
        yield _api_url(proc, out, tmp)
    finally:
        proc.terminate()
        proc.wait(10)


def _api_url(proc: subprocess.Popen, out, tmp: Path) -> str:
    deadline = time.time() + 30
    while time.time() < deadline:
        out.seek(0)
        line = out.readline()
        if line.strip():
            return json.loads(line)["url"]
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"mock-api did not start: {(tmp / 'api.err').read_text()}")


def dags_test(env: dict[str, str], tmp: Path, dag_id: str, conf: dict,
              *args: str) -> subprocess.CompletedProcess:
    """`airflow dags test DAG_ID [ARGS] -c CONF`; its output is kept in tmp/dags-test.log."""
    started = time.time()
    res = airflow(env, "dags", "test", dag_id, *args, "-c", json.dumps(conf), timeout=420)
    (tmp / "dags-test.log").write_text(res.stdout + "\n--- stderr ---\n" + res.stderr)
    print(f"airflow dags test {dag_id} took {time.time() - started:.1f}s; log: {tmp / 'dags-test.log'}")
    return res


def json_out(stdout: str):
    """The JSON document of an `airflow ... -o json` command (its log lines go to stdout as well)."""
    for line in reversed(stdout.splitlines()):
        if line.startswith(("[", "{")):
            return json.loads(line)
    raise AssertionError(f"no JSON in output:\n{stdout[-3000:]}")


def only_run_id(env: dict[str, str], dag_id: str) -> str:
    runs = airflow(env, "dags", "list-runs", dag_id, "-o", "json")
    assert runs.returncode == 0, runs.stderr[-3000:]
    run_ids = [r["run_id"] for r in json_out(runs.stdout)]
    assert len(run_ids) == 1, runs.stdout
    return run_ids[0]


def task_states(env: dict[str, str], dag_id: str, run_id: str) -> dict[str, list[str]]:
    res = airflow(env, "tasks", "states-for-dag-run", dag_id, run_id, "-o", "json")
    assert res.returncode == 0, res.stderr[-3000:]
    states: dict[str, list[str]] = {}
    for row in json_out(res.stdout):
        states.setdefault(row["task_id"], []).append(row["state"])
    return states


def pagefleet_status(conf: dict, run_id: str, **env: str) -> subprocess.CompletedProcess:
    """`pagefleet status JOB --run-id RUN_ID --json` on the run's landing zone, outside Airflow."""
    return subprocess.run(
        ["node", str(CLI), "status", conf["job"], "--run-id", run_id, "--json"],
        env={**os.environ, "PAGEFLEET_ROOT": conf["landing_root"], **env},
        capture_output=True, text=True, timeout=60,
    )


# ---------------------------------------------------------------- parsing and rendering without a DB

# Both DAGs: plan >> executor_envs >> ingest[0..N-1] >> spark >> status
TASKS_UPSTREAM = {
    "plan": set(),
    "executor_envs": {"plan"},
    "ingest": {"executor_envs"},
    "spark": {"ingest"},
    "status": {"spark"},
}


def dag_module():
    """airflow/dags/pagefleet_ingest.py imported as a module (for its helpers)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("pagefleet_ingest_mod", DAGS / "pagefleet_ingest.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class TemplateVar:
    """The `var` template variable, from a dict: var.value.get(key, default)."""

    def __init__(self, values: dict[str, str]):
        self.value = self
        self._values = values

    def get(self, key: str, default=None):
        return self._values.get(key, default)
