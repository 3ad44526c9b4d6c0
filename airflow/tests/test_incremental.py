"""Tests of the daily DAG pagefleet_incremental: its data interval reaches pagefleet as PAGEFLEET_FROM/TO.

test_dagbag_* parse the DAG and render its commands for given data intervals (Airflow's own timetable
computes them); test_dags_test_* runs `airflow dags test pagefleet_incremental 2025-01-05` against the demo
API's /3/discover/movie with a full-history windows spec and checks that exactly the interval's day landed.
"""
from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.request import urlopen

import pytest

from dag_harness import (
    CLI, MAIN_PY, TASKS_UPSTREAM, TemplateVar, airflow_home, dag_module, dags_test, demo_api, only_run_id,
    pagefleet_status, require_end_to_end, task_states,
)

DAG_ID = "pagefleet_incremental"
UTC = timezone.utc
COMMANDS = ("plan", "ingest", "status")  # the tasks that run pagefleet


@pytest.fixture(scope="module")
def dag(dagbag):
    return dagbag.dags[DAG_ID]


def _command(dag, task_id: str) -> str:
    task = dag.get_task(task_id)
    return task.partial_kwargs["bash_command"] if task_id == "ingest" else task.bash_command


def _render(dag, task_id: str, start: datetime, end: datetime) -> str:
    """A task's bash_command, rendered by the DAG's Jinja environment for the data interval [start, end)."""
    context = {
        "params": {name: None for name in dag.params},
        "var": TemplateVar({"pagefleet_job": "/jobs/tmdb.yaml"}),
        "run_id": "scheduled__2025-01-06T00:00:00+00:00",
        "data_interval_start": start,
        "data_interval_end": end,
    }
    return dag.get_template_env().from_string(_command(dag, task_id)).render(**context)


def _exports(rendered: str) -> dict[str, str]:
    """The PAGEFLEET_FROM / PAGEFLEET_TO a rendered command exports."""
    out = {}
    for line in rendered.splitlines():
        if line.startswith(("export PAGEFLEET_FROM=", "export PAGEFLEET_TO=")):
            name, _, value = line[len("export "):].partition("=")
            out[name] = value
    return out


def test_dagbag_incremental_is_the_same_dag_on_a_daily_timetable(dagbag, dag):
    manual = dagbag.dags["pagefleet_ingest"]
    assert {t.task_id: set(t.upstream_task_ids) for t in dag.tasks} == TASKS_UPSTREAM
    assert dag.get_task("spark").trigger_rule == "all_done"
    assert set(dag.get_task("ingest").expand_input.value) == {"env"}
    # the same params; only the default N differs (a one-day interval is one window)
    assert set(dag.params) == set(manual.params)
    assert "default 1" in dag.params.get_param("executors").description
    assert dag.catchup is False and dag.max_active_runs == 1
    timetable = dag.timetable
    assert type(timetable).__name__ == "CronDataIntervalTimetable"  # not an empty-interval trigger timetable
    assert (timetable.expression, str(timetable.timezone)) == ("0 0 * * *", "UTC")
    # the interval is exported by pagefleet's three commands in this DAG, and by none in the manual one
    for task_id in COMMANDS:
        assert "export PAGEFLEET_FROM={{ data_interval_start | day | sh }}" in _command(dag, task_id)
        assert "export PAGEFLEET_TO={{ data_interval_end | day(-1) | sh }}" in _command(dag, task_id)
        assert "PAGEFLEET_FROM" not in _command(manual, task_id)
    # the run id stays Airflow's
    assert "export PAGEFLEET_RUN_ID={{ run_id | sh }}" in _command(dag, "ingest")


def test_dagbag_incremental_renders_the_interval_days(dagbag, dag):
    from airflow.serialization.encoders import coerce_to_core_timetable
    from airflow.timetables.base import DataInterval, TimeRestriction

    timetable = coerce_to_core_timetable(dag.timetable)
    jan = lambda d: datetime(2025, 1, d, tzinfo=UTC)  # noqa: E731
    # the scheduled run after the one for 2025-01-04 starts at 2025-01-06 00:00 and covers 2025-01-05
    scheduled = timetable.next_dagrun_info(
        last_automated_data_interval=DataInterval(jan(4), jan(5)),
        restriction=TimeRestriction(earliest=None, latest=None, catchup=True),
    )
    assert (scheduled.run_after, tuple(scheduled.data_interval)) == (jan(6), (jan(5), jan(6)))
    # `airflow dags test pagefleet_incremental 2025-01-05` (and a manual run at that logical date)
    manual = timetable.infer_manual_data_interval(run_after=jan(5))
    assert tuple(manual) == (jan(4), jan(5))

    for interval, day in ((scheduled.data_interval, "2025-01-05"), (manual, "2025-01-04")):
        for task_id in COMMANDS:
            rendered = _render(dag, task_id, *interval)
            assert _exports(rendered) == {"PAGEFLEET_FROM": day, "PAGEFLEET_TO": day}, rendered
    # a longer interval: its first day to the day before its (exclusive) end
    week = _exports(_render(dag, "ingest", jan(6), jan(13)))
    assert week == {"PAGEFLEET_FROM": "2025-01-06", "PAGEFLEET_TO": "2025-01-12"}
    assert _exports(_render(dagbag.dags["pagefleet_ingest"], "ingest", jan(4), jan(5))) == {}
    # a run without a data interval (triggered without a logical date) fails to render
    with pytest.raises(ValueError, match="trigger it with a logical date"):
        _render(dag, "plan", None, None)


def test_day_filter_reads_bounds_as_utc_days():
    mod = dag_module()
    assert mod.day(datetime(2025, 1, 6, tzinfo=UTC)) == "2025-01-06"
    assert mod.day(datetime(2025, 1, 13, tzinfo=UTC), -1) == "2025-01-12"
    assert mod.day(datetime(2025, 3, 1, tzinfo=UTC), -1) == "2025-02-28"
    # 01:00 at UTC+2 is still the previous day in UTC
    assert mod.day(datetime(2025, 1, 6, 1, 0, tzinfo=timezone(timedelta(hours=2)))) == "2025-01-05"
    # a run triggered without a logical date has no interval: it fails instead of guessing a window
    with pytest.raises(ValueError, match="trigger it with a logical date"):
        mod.day(None)


# ---------------------------------------------------------------- end to end with `airflow dags test`

# 2000 records released 1950..2024, plus 100 added ones released 10 a day from 2025-01-01; 3 a page, so one
# day is 4 pages. The spec is the full history: without the interval it would fetch all 2000.
API_ARGS = ("--size", "2100", "--base-size", "2000", "--added-after", "2024-12-31", "--per-page", "3")
LOGICAL_DATE = "2025-01-05"
INTERVAL_DAY = "2025-01-04"  # [2025-01-04, 2025-01-05): the day before the logical date (see above)


def _history_spec(url: str, root: Path) -> str:
    return (
        "dataset: movies\n"
        f'source: {{ url: "{url}/3/discover/movie", records: results }}\n'
        "pagination: { page: { total_pages: total_pages, total_results: total_results } }\n"
        "slices: { from_param: primary_release_date.gte, to_param: primary_release_date.lte,\n"
        "          from: 1950-01-01, to: 2024-12-31, step: 365d, max_pages: 500 }\n"
        f'output: {{ root: "{root}", formats: [parquet, ndjson] }}\n'
    )


def _released_on(url: str, day: str) -> list[int]:
    """The catalogue's ids released on `day`, asked of the API page by page."""
    ids, page = [], 1
    while True:
        query = f"primary_release_date.gte={day}&primary_release_date.lte={day}&page={page}"
        with urlopen(f"{url}/3/discover/movie?{query}", timeout=10) as res:
            body = json.load(res)
        assert {r["release_date"] for r in body["results"]} <= {day}
        ids += [r["id"] for r in body["results"]]
        if page >= body["total_pages"]:
            return ids
        page += 1


def _landed_ids(landing: Path, dataset: str) -> dict[str, list[int]]:
    """Ids landed in each format, read back with pyarrow (Parquet) and DuckDB (NDJSON) from the main venv."""
    script = (
        "import sys, glob, json, duckdb, pyarrow.parquet as pq\n"
        "base = f'{sys.argv[1]}/{sys.argv[2]}'\n"
        "pq_files = glob.glob(base + '/parquet/**/*.parquet', recursive=True)\n"
        "nd_files = glob.glob(base + '/ndjson/**/*.ndjson.gz', recursive=True)\n"
        "ids = {'parquet': [i for f in pq_files for i in pq.read_table(f, columns=['id'])['id'].to_pylist()],\n"
        "       'ndjson': [r[0] for r in duckdb.sql(f\"select id from read_json_auto({nd_files!r},"
        " format='newline_delimited')\").fetchall()] if nd_files else []}\n"
        "print(json.dumps(ids))"
    )
    res = subprocess.run([str(MAIN_PY), "-c", script, str(landing), dataset], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def _ledger_lines(landing: Path, dataset: str, run_id: str) -> list[dict]:
    lines = []
    for path in (landing / "_pagefleet" / dataset).rglob("*.jsonl"):
        lines += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [line for line in lines if line.get("run_id") == run_id]


def _data_interval(env: dict[str, str], run_id: str) -> tuple[str, str]:
    """The run's data interval as Airflow stored it (UTC) in the metadata DB."""
    db = Path(env["AIRFLOW_HOME"]) / "airflow.db"
    with closing(sqlite3.connect(db)) as conn:
        row = conn.execute("select data_interval_start, data_interval_end from dag_run where run_id = ?",
                           (run_id,)).fetchone()
    return tuple(str(v)[:19] for v in row)


def _stand_in_spark_submit(tmp: Path) -> Path:
    """A spark-submit that records its arguments: this test is about the interval, not about Spark."""
    path = tmp / "spark-submit"
    path.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$0.args"\n')
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_dags_test_incremental_lands_exactly_the_interval_days(tmp_path):
    require_end_to_end()
    env = airflow_home(tmp_path)
    env["PAGEFLEET_SPARK_SUBMIT"] = str(_stand_in_spark_submit(tmp_path))
    landing = tmp_path / "landing"
    with demo_api(tmp_path, *API_ARGS) as url:
        job = tmp_path / "job.yaml"
        job.write_text(_history_spec(url, tmp_path / "spec-root-unused"))
        conf = {
            "job": str(job),
            "executors": 2,  # both must be handed the same window, or the second would refuse the run
            "dataset": "movies",
            "landing_root": str(landing),
            "curated_output": str(tmp_path / "curated"),
            "checkpoint": str(tmp_path / "checkpoint"),
            "pagefleet_cmd": f"node {CLI}",
        }
        res = dags_test(env, tmp_path, DAG_ID, conf, LOGICAL_DATE)
        expected = _released_on(url, INTERVAL_DAY)
    log = tmp_path / "dags-test.log"
    assert res.returncode == 0, f"airflow dags test failed, see {log}:\n{res.stderr[-4000:]}"
    run_id = only_run_id(env, DAG_ID)
    assert _data_interval(env, run_id) == (f"{INTERVAL_DAY} 00:00:00", "2025-01-05 00:00:00")
    assert task_states(env, DAG_ID, run_id) == {
        "plan": ["success"],
        "executor_envs": ["success"],
        "ingest": ["success", "success"],
        "spark": ["success"],
        "status": ["success"],
    }

    # exactly the records the API holds for the interval's day, each once, in both formats
    assert len(expected) == 10 and len(set(expected)) == 10, expected
    landed = _landed_ids(landing, "movies")
    assert sorted(landed["parquet"]) == sorted(expected)
    assert sorted(landed["ndjson"]) == sorted(expected)

    # pagefleet's view of the same run: complete, one window of one day
    st = pagefleet_status(conf, run_id)
    assert st.returncode == 0, st.stdout + st.stderr
    report = json.loads(st.stdout)
    assert report["complete"] is True and report["records"] == 10
    assert len(report["executors"]) == 2 and sum(e["slices"] for e in report["executors"]) == 1

    # the ledger names the window; the dates are not secrets, so nothing is masked
    lines = _ledger_lines(landing, "movies", report["run_id"])
    landed_pages = [line for line in lines if line.get("status") == "landed"]
    assert len(landed_pages) == 4, lines
    assert {line["slice"] for line in landed_pages} == {f"{INTERVAL_DAY}..{INTERVAL_DAY}"}
    window_query = f"primary_release_date.gte={INTERVAL_DAY}&primary_release_date.lte={INTERVAL_DAY}"
    assert all(window_query in line["cursor"] for line in landed_pages if line["page"] > 1), landed_pages
    assert "***" not in json.dumps(lines)

    # the report, in the default folder: $AIRFLOW_HOME/pagefleet-reports
    html = Path(env["AIRFLOW_HOME"]) / "pagefleet-reports" / f"{DAG_ID}__{dag_module().safe_name(run_id)}.html"
    assert html.exists(), f"no report at {html}"
    text = html.read_text()
    assert '<p id="outcome" class="outcome complete">COMPLETE: all ' in text and " 10 records</p>" in text, text[:2000]

    # the spark task ran, for this dataset and landing zone
    spark_args = (tmp_path / "spark-submit.args").read_text().splitlines()
    assert spark_args[spark_args.index("--dataset") + 1] == "movies"
    assert spark_args[spark_args.index("--landing") + 1] == str(landing)
