"""Airflow 3 DAGs: plan, fan out N pagefleet executors, curate with Spark, check status.

Two DAGs, built by one factory (``pagefleet_dag``), with the same tasks and settings:

- ``pagefleet_ingest``: manual (``schedule=None``); the spec alone decides what is fetched, e.g. the full
  history of a catalogue.
- ``pagefleet_incremental``: daily at 00:00 UTC, no catchup; each run fetches the days of its data
  interval (see "Incremental runs" below). Its default N is 1.

Tasks::

    plan >> executor_envs >> ingest[0..N-1] >> spark >> status

- ``plan`` (BashOperator): ``pagefleet plan JOB --executors N``. Validates the spec and fetches at most the
  discovery page, so a bad spec (exit 2) or an unreachable API (exit 3) stops the run before any fan-out.
  Pushes no XCom (the plan JSON is in the task log).
- ``executor_envs`` (@task): turns the runtime ``executors`` setting N into the list
  ``[{"PAGEFLEET_EXECUTOR_INDEX": "0", "PAGEFLEET_EXECUTORS": "N"}, ...]``. It exists because N is a run
  parameter: ``.expand(env=[...literal list...])`` would fix N when the file is parsed, whereas expanding
  over this task's return value lets ``airflow dags trigger -c '{"executors": 8}'`` choose it per run.
  It also fails fast when a required setting is missing.
- ``ingest`` (BashOperator, mapped): ``BashOperator.partial(task_id="ingest", ...).expand(env=...)``, one
  mapped task instance per executor index, ``append_env=True`` so PATH, HOME, credentials etc. of the
  worker survive next to the mapped variables. Values that come *from the mapped list are not rendered as
  templates*, so the run id is not put into ``env``: it is exported by the (templated) ``bash_command``::

      export PAGEFLEET_RUN_ID={{ run_id | sh }}     # ``sh`` = shlex.quote, a user-defined filter
      exec pagefleet ingest JOB

  Every executor therefore shares Airflow's ``run_id`` (pagefleet sanitises it the same way in each), and a
  retry of a mapped task, or "Clear" on it later, re-runs the same run id: pagefleet resumes and fetches
  only the pages that have not landed. ``exec`` lets Airflow's SIGTERM reach pagefleet, which records what
  it fetched before exiting 130. Exit codes: 0 all of this executor's pages landed, 1 failed/missing pages
  (retried), 2 bad input, 3 API or landing zone unavailable.
- ``spark`` (SparkSubmitOperator, ``trigger_rule="all_done"``): ``spark/reader.py --trigger available-now``
  curates whatever landed into the Delta table, even if some executors failed. ``--wait`` bounds how long
  it waits for a dataset that never appeared (e.g. when ``plan`` failed).
- ``status`` (BashOperator): ``pagefleet status JOB --run-id RUN_ID --json``; exit 1 when pages are
  missing, so the DAG run fails. It is the only leaf and depends on ``spark`` with ``all_success``: a
  failed Spark job makes it ``upstream_failed``, which fails the DAG run too. After status, complete or
  not, the same task writes the run's HTML report (``pagefleet report JOB --run-id RUN_ID --html FILE``)
  to ``<report_dir>/<dag_id>__<run_id>.html`` and logs ``pagefleet report: <path>``; the task's result is
  still status's exit code (a report that cannot be written only logs a warning).

Incremental runs (``pagefleet_incremental``). ``plan``, every ``ingest`` executor and ``status`` export,
from their templated ``bash_command``::

    export PAGEFLEET_FROM={{ data_interval_start | day | sh }}      # the interval's first day
    export PAGEFLEET_TO={{ data_interval_end | day(-1) | sh }}      # its last day: the end is exclusive

(``day`` = the date in UTC, moved by N days, a user-defined filter). pagefleet reads them as ``--from`` /
``--to``: they replace the spec's ``slices.from`` / ``slices.to``, so the job spec needs windows
(``slices: {from_param, to_param, from, to}``; both days inclusive). The values are not secrets: they
appear in the ledger as each window's label (``2025-01-04..2025-01-04``) and in its request URLs.

- The run that starts at midnight (UTC) of day D has the data interval [D-1, D) (its logical date is D-1)
  and fetches day D-1 only. ``airflow dags test pagefleet_incremental D`` and a manual trigger with
  logical date D get the last complete day before D, [D-1, D), as well. A trigger without a logical date
  has no interval, and the run fails at rendering rather than guess a window. The schedule is a
  ``CronDataIntervalTimetable``: ``schedule="@daily"`` would be a ``CronTriggerTimetable`` in Airflow 3,
  whose data interval is empty (start = end).
- The spec's ``step`` cuts [from, to] into windows. A one-day interval is one window whatever the step, so
  ``step`` is optional here and the full-history spec (``from: 1900-01-01``, ``step: 365d``,
  ``max_pages: 500``) can be used as it is; a longer interval (a weekly variant) with ``step: 1d`` would
  give one window a day. A window is fetched by one executor, so N > 1 only helps with several windows.
  ``max_pages`` still applies: a day above the API's cap is reported as unreachable records.
- Every task of one DAG run renders the same interval, and a retry or a "Clear" renders it again
  unchanged, so all executors and ``status`` see the run that ``plan`` planned (pagefleet refuses to
  resume a run id with a different window: exit 2). The run id stays Airflow's ``run_id``.
- ``slices.lookback`` applies to ``from: last`` only, and pagefleet refuses it next to an explicit
  ``--from``: give this DAG a spec without ``lookback``. ``from: last`` + ``lookback`` is for runs outside
  Airflow (cron), where pagefleet itself works out the window from the last complete run.

Settings. Each is a DAG param (``airflow dags trigger/test -c '{"job": "/abs/job.yaml", ...}'`` or the
trigger form); when the param is empty, the Airflow Variable ``pagefleet_<name>`` is used, then the
default:

=================  =========================================================  ========================
param              meaning                                                    default
=================  =========================================================  ========================
job                absolute path of the job spec (YAML) on the worker         required
executors          N, number of executors (mapped ingest tasks), 1..1024      4 (incremental: 1)
dataset            the spec's ``dataset`` (the reader needs it)               required
landing_root       landing zone root; exported as PAGEFLEET_ROOT to pagefleet  required
                   and passed to the reader as ``--landing``
curated_output     Delta table path written by the reader                     required
checkpoint         streaming checkpoint folder of the reader                  required
pagefleet_cmd      the CLI, e.g. ``node /opt/pagefleet/dist/src/cli/main.js``  ``pagefleet``
spark_jars         comma-separated jars, ``$(bash spark/fetch-jars.sh)``       none
spark_app          path of spark/reader.py on the worker                      next to this repo's dags
spark_wait         seconds the reader waits for the dataset to appear          60
report_dir         folder of the HTML run reports on the worker                ``$AIRFLOW_HOME/pagefleet-reports``
=================  =========================================================  ========================

A scheduled run has no conf, so ``pagefleet_incremental`` takes its settings from the Variables; both DAGs
read the same ones, so the daily runs land in the same dataset and landing zone as the full history.

Deployment settings, read from the environment when the file is parsed (the provider does not template
them): ``PAGEFLEET_SPARK_SUBMIT`` (the ``spark-submit`` to run, e.g. ``/opt/venv/bin/spark-submit``; it is
passed as the operator's ``spark_binary``, which unlike the connection's ``spark-binary`` extra may be a
full path; default ``spark-submit`` on PATH), ``PAGEFLEET_SPARK_CONN_ID`` (default ``pagefleet_spark``) and
``PAGEFLEET_AIRFLOW_RETRY_DELAY`` (seconds before the first retry of plan/ingest, default 30, doubling).
The Spark connection must exist, or the provider falls back to master ``yarn``; for a local master::

    export AIRFLOW_CONN_PAGEFLEET_SPARK='{"conn_type": "spark", "host": "local[*]"}'

Docker and Kubernetes variants (not imported here, so these DAGs need neither provider). Only ``ingest``
changes; ``plan`` and ``status`` may run the same image the same way, and the landing root must be storage
every executor reaches (``s3://...``, or a shared volume):

- DockerOperator (apache-airflow-providers-docker)::

      DockerOperator.partial(
          task_id="ingest", image="pagefleet:TAG", retries=3,  # built from the repo's Dockerfile
          command=["ingest", "/jobs/job.yaml"],        # the repo's Dockerfile: ENTRYPOINT pagefleet
          mounts=[...job spec, landing volume...],
          environment={"PAGEFLEET_RUN_ID": "{{ run_id }}", "PAGEFLEET_ROOT": "s3://bucket/landing"},
      ).expand(private_environment=executor_envs())

  ``environment`` is a partial argument, so it is templated and carries the run id; the mapped
  index/count go into a second dict argument (``private_environment``) because a mapped argument replaces
  the partial one rather than merging with it. Secrets (S3 keys, API tokens) go in via the worker's
  Airflow connections rendered into ``environment`` or Docker secrets, never into the image.

- KubernetesPodOperator (apache-airflow-providers-cncf-kubernetes)::

      KubernetesPodOperator.partial(
          task_id="ingest", image="REGISTRY/pagefleet:TAG", retries=3, namespace="data",
          arguments=["ingest", "/jobs/job.yaml"],       # the repo's Dockerfile: ENTRYPOINT pagefleet
          volumes=[...ConfigMap holding job.yaml...], volume_mounts=[...],
          container_resources=...,                      # one executor is one Node process
      ).expand(env_vars=executor_envs())

  ``env_vars`` cannot be split between partial and expand, and mapped values are not templated, so here
  ``executor_envs`` puts the literal run id into each dict itself (``get_current_context()["run_id"]``)
  next to PAGEFLEET_EXECUTOR_INDEX / PAGEFLEET_EXECUTORS / PAGEFLEET_ROOT; secrets come from a Kubernetes
  Secret (``env_from``). Without Airflow mapping, one Kubernetes Indexed Job with ``completions: N`` works
  as well: pagefleet reads ``JOB_COMPLETION_INDEX`` and only needs ``--executors N`` and the run id.
"""
from __future__ import annotations

import json
import os
import re
import shlex
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, CronDataIntervalTimetable, Param, Variable, get_current_context, task

MAX_EXECUTORS = 1024  # Airflow's default [core] max_map_length
REPO = Path(__file__).resolve().parents[2]
SPARK_SUBMIT = os.environ.get("PAGEFLEET_SPARK_SUBMIT") or "spark-submit"
SPARK_CONN_ID = os.environ.get("PAGEFLEET_SPARK_CONN_ID") or "pagefleet_spark"
# First retry delay of plan/ingest (exponential backoff after it); tests set it to 1.
RETRY_DELAY = timedelta(seconds=float(os.environ.get("PAGEFLEET_AIRFLOW_RETRY_DELAY") or 30))
# The calendar of pagefleet_incremental: its schedule and the days its data intervals are cut into.
TIMEZONE = "UTC"

DEFAULTS = {
    "job": None,
    "executors": 4,
    "dataset": None,
    "landing_root": None,
    "curated_output": None,
    "checkpoint": None,
    "pagefleet_cmd": "pagefleet",
    "spark_jars": "",
    "spark_app": str(REPO / "spark" / "reader.py"),
    "spark_wait": 60,
    "report_dir": "",
}
# A data interval of one day is one window, which one executor fetches (a window is never shared).
INCREMENTAL_DEFAULTS = {**DEFAULTS, "executors": 1}


def setting(name: str, quote: bool = True, defaults: dict = DEFAULTS) -> str:
    """Jinja for one setting: the run's param, else Variable ``pagefleet_<name>``, else the default.

    ``quote`` shell-quotes the rendered value (``pagefleet_cmd`` is left unquoted: it may hold arguments).
    """
    default = defaults[name]
    fallback = json.dumps("" if default is None else str(default))
    expr = f"(params.{name} if params.{name} not in (None, '') else var.value.get('pagefleet_{name}', {fallback}))"
    return f"{{{{ {expr} | sh }}}}" if quote else f"{{{{ {expr} }}}}"


def sh(value: object) -> str:
    return shlex.quote(str(value))


def safe_name(value: object) -> str:
    """A run id as a file name: characters other than letters, digits, ``_ . -`` become ``-``, as pagefleet
    turns run ids into path segments."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", str(value))


def day(moment: datetime | None, offset: int = 0) -> str:
    """The day (YYYY-MM-DD, in TIMEZONE) of a data-interval bound, moved by ``offset`` days.

    A run without a data interval (triggered without a logical date) has None here: it fails rather than
    let pagefleet guess a window.
    """
    if moment is None:
        raise ValueError("this DAG passes its data interval to pagefleet: trigger it with a logical date")
    return (moment.astimezone(ZoneInfo(TIMEZONE)).date() + timedelta(days=offset)).isoformat()


# Both ends of the window, from the data interval; data_interval_end is exclusive, so its day before.
INTERVAL_EXPORTS = (
    "export PAGEFLEET_FROM={{ data_interval_start | day | sh }}\n"
    "export PAGEFLEET_TO={{ data_interval_end | day(-1) | sh }}\n"
)


def _param(name: str, description: str, defaults: dict, kind: str = "string", **schema) -> Param:
    # Params default to None so that the Variable, then the defaults, apply (see setting()).
    default = defaults[name]
    suffix = "required" if default is None else f"default {default!r}"
    return Param(None, type=[kind, "null"], description=f"{description} ({suffix})", **schema)


def _params(defaults: dict) -> dict[str, Param]:
    return {
        "job": _param("job", "absolute path of the job spec (YAML)", defaults),
        "executors": _param("executors", "number of executors (mapped ingest tasks)", defaults, "integer",
                            minimum=1, maximum=MAX_EXECUTORS),
        "dataset": _param("dataset", "the spec's dataset name", defaults),
        "landing_root": _param("landing_root", "landing zone root (folder or s3://bucket/prefix)", defaults),
        "curated_output": _param("curated_output", "curated Delta table path", defaults),
        "checkpoint": _param("checkpoint", "reader streaming checkpoint folder", defaults),
        "pagefleet_cmd": _param("pagefleet_cmd", "the pagefleet CLI command", defaults),
        "spark_jars": _param("spark_jars", "comma-separated jars for spark-submit --jars", defaults),
        "spark_app": _param("spark_app", "path of spark/reader.py", defaults),
        "spark_wait": _param("spark_wait", "seconds the reader waits for the dataset", defaults, "integer",
                             minimum=0),
        "report_dir": _param("report_dir", "folder of the run reports (HTML) on the worker; empty: "
                             "$AIRFLOW_HOME/pagefleet-reports", defaults),
    }


def pagefleet_dag(dag_id: str, *, description: str, schedule, defaults: dict, pass_interval: bool) -> DAG:
    """plan >> executor_envs >> ingest[0..N-1] >> spark >> status (see the module docstring).

    ``pass_interval`` exports the run's data interval as PAGEFLEET_FROM / PAGEFLEET_TO to plan, every
    executor and status alike.
    """
    required = [name for name, value in defaults.items() if value is None]
    with DAG(
        dag_id=dag_id,
        description=description,
        schedule=schedule,
        catchup=False,
        max_active_runs=1,  # two runs of one dataset would compete for the API's rate limit
        tags=["pagefleet"],
        user_defined_filters={"sh": sh, "day": day, "safe_name": safe_name},
        params=_params(defaults),
        default_args={"retries": 0, "retry_delay": RETRY_DELAY},
    ) as dag:
        # Every value is rendered by Jinja and shell-quoted by the `sh` filter; the CLI command is not quoted.
        prelude = (
            "set -euo pipefail\n"
            f"root={setting('landing_root', defaults=defaults)}\n"
            'if [ -n "$root" ]; then export PAGEFLEET_ROOT="$root"; fi\n'
            f"job={setting('job', defaults=defaults)}\n"
            + (INTERVAL_EXPORTS if pass_interval else "")
        )
        pagefleet = setting("pagefleet_cmd", quote=False, defaults=defaults)

        plan = BashOperator(
            task_id="plan",
            bash_command=(
                prelude
                + f"exec {pagefleet} plan \"$job\" --executors {setting('executors', defaults=defaults)}\n"
            ),
            do_xcom_push=False,
            retries=1,  # exit 3 (API or landing zone unavailable) may be transient; exit 2 (bad spec) is not
            retry_exponential_backoff=2.0,  # 3.3: a multiplier (older: a bool)
        )

        @task(task_id="executor_envs")
        def executor_envs() -> list[dict[str, str]]:
            """One env dict per executor index; N comes from the run's params (or Variable)."""
            params = get_current_context()["params"]

            def resolve(name: str):
                value = params.get(name)
                if value in (None, ""):
                    value = Variable.get(f"pagefleet_{name}", default=defaults[name])
                return value

            missing = [name for name in required if resolve(name) in (None, "")]
            if missing:
                raise ValueError(
                    f"{dag_id}: set {', '.join(missing)} (DAG params, or Variables "
                    f"{', '.join('pagefleet_' + m for m in missing)})"
                )
            n = int(resolve("executors"))
            if not 1 <= n <= MAX_EXECUTORS:
                raise ValueError(f"{dag_id}: executors must be 1..{MAX_EXECUTORS}, got {n}")
            return [{"PAGEFLEET_EXECUTOR_INDEX": str(i), "PAGEFLEET_EXECUTORS": str(n)} for i in range(n)]

        envs = executor_envs()

        # Mapped `env` values are not templated: the run id is exported by the templated bash_command.
        ingest = BashOperator.partial(
            task_id="ingest",
            bash_command=(
                prelude
                + "export PAGEFLEET_RUN_ID={{ run_id | sh }}\n"
                + f"exec {pagefleet} ingest \"$job\"\n"
            ),
            append_env=True,
            retries=3,  # a retry resumes the same run id: only pages not landed are fetched
            retry_exponential_backoff=2.0,  # 3.3: a multiplier (older: a bool)
            do_xcom_push=False,
        ).expand(env=envs)

        spark = SparkSubmitOperator(
            task_id="spark",
            trigger_rule="all_done",  # curate what landed even if some executors failed
            conn_id=SPARK_CONN_ID,
            spark_binary=SPARK_SUBMIT,
            application=setting("spark_app", quote=False, defaults=defaults),
            jars=setting("spark_jars", quote=False, defaults=defaults),
            name="pagefleet-reader-{{ run_id }}",
            application_args=[
                "--landing", setting("landing_root", quote=False, defaults=defaults),
                "--dataset", setting("dataset", quote=False, defaults=defaults),
                "--output", setting("curated_output", quote=False, defaults=defaults),
                "--checkpoint", setting("checkpoint", quote=False, defaults=defaults),
                "--trigger", "available-now",
                "--wait", setting("spark_wait", quote=False, defaults=defaults),
            ],
        )

        # status decides the task's outcome; the HTML report is written after it either way (a failed run
        # is the one worth looking at) and its path logged. A report that cannot be written is a warning.
        status = BashOperator(
            task_id="status",
            bash_command=(
                prelude
                + f"report_dir={setting('report_dir', defaults=defaults)}\n"
                + 'report_dir="${report_dir:-${AIRFLOW_HOME:-$HOME/airflow}/pagefleet-reports}"\n'
                + f"html=\"$report_dir\"/{dag_id}__{{{{ run_id | safe_name | sh }}}}.html\n"
                + "rc=0\n"
                + f"{pagefleet} status \"$job\" --run-id {{{{ run_id | sh }}}} --json || rc=$?\n"
                + 'if mkdir -p "$report_dir" && '
                + f"{pagefleet} report \"$job\" --run-id {{{{ run_id | sh }}}} --html \"$html\" >/dev/null; then\n"
                + '  echo "pagefleet report: $html"\n'
                + "else\n"
                + '  echo "pagefleet report: could not be written to $html (the status above stands)" >&2\n'
                + "fi\n"
                + 'exit "$rc"\n'
            ),
            do_xcom_push=False,
        )

        plan >> envs >> ingest >> spark >> status
    return dag


ingest_dag = pagefleet_dag(
    "pagefleet_ingest",
    description="pagefleet: plan, N mapped executors, Spark available-now curation, status check",
    schedule=None,
    defaults=DEFAULTS,
    pass_interval=False,
)

incremental_dag = pagefleet_dag(
    "pagefleet_incremental",
    description="pagefleet, daily: the data interval's days as the spec's window (PAGEFLEET_FROM/TO)",
    # Not schedule="@daily": Airflow 3 makes that a CronTriggerTimetable whose data interval is empty
    # (start = end = the run's time). This is Airflow 2's @daily: each midnight run covers the day before.
    schedule=CronDataIntervalTimetable("@daily", timezone=TIMEZONE),
    defaults=INCREMENTAL_DEFAULTS,
    pass_interval=True,
)
