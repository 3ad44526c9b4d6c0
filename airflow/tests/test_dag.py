"""Tests of the manual DAG pagefleet_ingest (airflow/dags/pagefleet_ingest.py); the daily one: test_incremental.py.

Run with the Airflow venv (airflow/setup.sh creates it):
    .venv-airflow/bin/python -m pytest airflow/tests -q -p no:cacheprovider

test_dagbag_* parse the DAG; test_dags_test_* run it end to end with `airflow dags test` against the demo
API (node CLI mock-api), real pagefleet executors and a real local spark-submit from the main venv.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from dag_harness import (
    CLI, MAIN_PY, REPO, SPARK_SUBMIT, TASKS_UPSTREAM, TemplateVar, airflow_home, dag_module, dags_test,
    demo_api, only_run_id, pagefleet_status, require_end_to_end, task_states,
)

DAG_ID = "pagefleet_ingest"


# ---------------------------------------------------------------- DagBag (parse) tests


@pytest.fixture(scope="module")
def dag(dagbag):
    return dagbag.dags[DAG_ID]


def test_dagbag_imports_and_structure(dag):
    assert type(dag.timetable).__name__ == "NullTimetable"  # schedule=None: manual runs only
    assert {t.task_id: set(t.upstream_task_ids) for t in dag.tasks} == TASKS_UPSTREAM
    assert [t.task_id for t in dag.leaves] == ["status"]


def test_dagbag_ingest_is_mapped_over_env(dag):
    from airflow.sdk.definitions.mappedoperator import MappedOperator

    ingest = dag.get_task("ingest")
    assert isinstance(ingest, MappedOperator)
    assert set(ingest.expand_input.value) == {"env"}
    assert ingest.partial_kwargs["append_env"] is True
    assert ingest.partial_kwargs["retries"] >= 1
    # the run id is templated in bash_command, not in the (untemplated) mapped env
    assert "export PAGEFLEET_RUN_ID={{ run_id | sh }}" in ingest.partial_kwargs["bash_command"]


def test_dagbag_trigger_rules_and_spark(dag):
    assert dag.get_task("spark").trigger_rule == "all_done"
    assert dag.get_task("status").trigger_rule == "all_success"
    spark = dag.get_task("spark")
    assert spark._spark_binary == str(SPARK_SUBMIT)
    assert "available-now" in spark.application_args


def test_dagbag_status_writes_the_report_after_status(dag):
    command = dag.get_task("status").bash_command
    status_at = command.index('status "$job" --run-id {{ run_id | sh }} --json || rc=$?')
    report_at = command.index('report "$job" --run-id {{ run_id | sh }} --html "$html"')
    assert status_at < report_at, command
    assert 'echo "pagefleet report: $html"' in command
    assert command.rstrip().endswith('exit "$rc"'), "the task's result is status's exit code"
    assert f"{DAG_ID}__{{{{ run_id | safe_name | sh }}}}.html" in command


def test_safe_name_is_pagefleets_run_id_path_segment():
    mod = dag_module()
    assert mod.safe_name("manual__2026-01-01T00:00:00+00:00") == "manual__2026-01-01T00-00-00-00-00"
    assert mod.safe_name("a b/c") == "a-b-c"


def report_html(conf: dict, run_id: str) -> str:
    """The HTML report the status task wrote for the run."""
    path = Path(conf["report_dir"]) / f"{DAG_ID}__{dag_module().safe_name(run_id)}.html"
    assert path.exists(), f"no report at {path}"
    return path.read_text()


def test_setting_renders_param_then_variable_then_default():
    import jinja2

    mod = dag_module()
    jinja = jinja2.Environment()
    jinja.filters["sh"] = mod.sh
    n = jinja.from_string(mod.setting("executors", quote=False))
    assert n.render(params={"executors": 8}, var=TemplateVar({"pagefleet_executors": "6"})) == "8"
    assert n.render(params={"executors": None}, var=TemplateVar({"pagefleet_executors": "6"})) == "6"
    assert n.render(params={"executors": ""}, var=TemplateVar({})) == "4"
    job = jinja.from_string(mod.setting("job"))
    assert job.render(params={"job": "/a b/it's.yaml"}, var=TemplateVar({})) == "'/a b/it'\"'\"'s.yaml'"
    assert job.render(params={"job": None}, var=TemplateVar({})) == "''"


# ---------------------------------------------------------------- end to end with `airflow dags test`


def _jars() -> str:
    return subprocess.run(["bash", str(REPO / "spark" / "fetch-jars.sh")], cwd=REPO, check=True,
                          capture_output=True, text=True, timeout=600).stdout.strip()


def _run_dag(tmp: Path, api_args: tuple[str, ...], executors: int = 2, spec_retries: int = 1,
             variables: dict[str, str] | None = None, endpoint: str = "/3/movie/popular",
             pagination: str = "{ page: { total_pages: total_pages } }"):
    """Starts the demo API, writes a job spec, runs `airflow dags test`; returns (result, env, conf, run_id)."""
    require_end_to_end()
    env = airflow_home(tmp, variables)
    with demo_api(tmp, "--size", "2000", "--per-page", "100", *api_args) as url:
        landing = tmp / "landing"
        job = tmp / "job.yaml"
        job.write_text(
            "dataset: movies\n"
            f'source: {{ url: "{url}{endpoint}", records: results }}\n'
            f"pagination: {pagination}\n"
            f"limits: {{ retries: {spec_retries} }}\n"
            f'output: {{ root: "{tmp / "spec-root-unused"}", formats: [parquet], file_target: 1MiB }}\n'
        )
        conf = {
            "job": str(job),
            "executors": executors,
            "dataset": None if variables and "dataset" in variables else "movies",
            "landing_root": str(landing),  # overrides the spec's output.root (PAGEFLEET_ROOT)
            "curated_output": str(tmp / "curated"),
            "checkpoint": str(tmp / "checkpoint"),
            "pagefleet_cmd": f"node {CLI}",
            "spark_jars": _jars(),
            "spark_wait": 20,
            "report_dir": str(tmp / "reports"),
        }
        res = dags_test(env, tmp, DAG_ID, conf)
    return res, env, conf, only_run_id(env, DAG_ID)


def test_dags_test_end_to_end(tmp_path):
    # `dataset` comes from the Variable pagefleet_dataset (an AIRFLOW_VAR_ env var) instead of a param
    res, env, conf, run_id = _run_dag(tmp_path, (), variables={"dataset": "movies"})
    assert conf["dataset"] is None
    log = tmp_path / "dags-test.log"
    assert res.returncode == 0, f"airflow dags test failed, see {log}:\n{res.stderr[-4000:]}"

    states = task_states(env, DAG_ID, run_id)
    assert states == {
        "plan": ["success"],
        "executor_envs": ["success"],
        "ingest": ["success", "success"],  # N=2 mapped executors
        "spark": ["success"],
        "status": ["success"],
    }, states

    st = pagefleet_status(conf, run_id)
    assert st.returncode == 0, st.stdout + st.stderr
    report = json.loads(st.stdout)
    assert report["complete"] is True
    assert report["totals"]["landed"] == 20 and len(report["executors"]) == 2

    assert _curated(conf) == {"rows": 2000, "distinct_ids": 2000}
    html = report_html(conf, run_id)
    assert '<p id="outcome" class="outcome complete">COMPLETE: all 20 pages landed in every format, 2,000 records</p>' in html


def _curated(conf: dict) -> dict:
    """Rows and distinct ids of the curated Delta table, read with deltalake from the main venv."""
    check = subprocess.run(
        [str(MAIN_PY), "-c",
         "import sys, json, deltalake, pyarrow.compute as pc\n"
         "t = deltalake.DeltaTable(sys.argv[1]).to_pyarrow_table()\n"
         "print(json.dumps({'rows': t.num_rows, 'distinct_ids': len(pc.unique(t['id']))}))",
         conf["curated_output"]],
        capture_output=True, text=True, timeout=120,
    )
    assert check.returncode == 0, check.stderr
    return json.loads(check.stdout)


def test_dags_test_missing_pages_fail_the_run(tmp_path):
    """Pages the API never serves: the spec asks for 20 pages of /3/discover/movie, which serves 18 (TMDB's
    cap, here --max-pages 18) and answers pages 19 and 20 with HTTP 400 on every attempt, whichever
    executor makes it, through the spec's retry and Airflow's 3 retries. The API is flaky too (30% 5xx,
    seeded: a pure function of seed, page and attempt number), so the first 18 pages land through retries.
    Spark (all_done) curates what landed, status exits 1 and fails the DAG run.
    """
    res, env, conf, run_id = _run_dag(tmp_path, ("--max-pages", "18", "--error-rate", "0.3", "--seed", "2"),
                                      endpoint="/3/discover/movie", pagination="{ page: { end: 20 } }")
    states = task_states(env, DAG_ID, run_id)
    assert states["plan"] == ["success"], states
    assert "failed" in states["ingest"], states
    assert states["spark"] == ["success"], states
    assert states["status"] == ["failed"], states
    assert res.returncode != 0, "airflow dags test should exit non-zero when the run failed"

    st = pagefleet_status(conf, run_id)
    assert st.returncode == 1, st.stdout + st.stderr
    report = json.loads(st.stdout)
    assert report["totals"] == {"planned": 20, "landed": 18, "failed": 2, "missing": 0}, report["totals"]
    assert report["failures"] == {"CLIENT_ERROR 400": 2}, report["failures"]
    assert _curated(conf) == {"rows": 1800, "distinct_ids": 1800}
    # the status task failed the run, and wrote the report all the same
    html = report_html(conf, run_id)
    assert "INCOMPLETE: 2 failed, 0 missing of 20 pages (CLIENT_ERROR 400: 2)" in html
