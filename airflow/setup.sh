#!/usr/bin/env bash
# Creates the Airflow venv (.venv-airflow, separate from .venv so Airflow's pins never move pyspark,
# pyarrow & co.) and installs airflow/requirements.txt plus pytest into it. Idempotent and quiet: a venv
# whose installed requirements match (a hash stamp inside the venv) is left alone.
#   PYTHON              the interpreter to build the venv from (default python3; Airflow 3 wants 3.10-3.13)
#   PAGEFLEET_AIRFLOW_VENV   venv folder (default <repo>/.venv-airflow)
# Then:  .venv-airflow/bin/python -m pytest airflow/tests -q
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${PAGEFLEET_AIRFLOW_VENV:-$repo/.venv-airflow}"
python="${PYTHON:-python3}"
req="$repo/airflow/requirements.txt"
pytest_pin="pytest==9.2.0"   # the same pin as requirements-dev.txt

stamp="$venv/.pagefleet-requirements.sha256"
want="$( (cat "$req"; echo "$pytest_pin") | sha256sum | cut -d' ' -f1)"

if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req" "$pytest_pin"
echo "$want" > "$stamp"
echo "airflow/setup.sh: $("$venv/bin/airflow" version 2>/dev/null | tail -n1) in $venv" >&2
