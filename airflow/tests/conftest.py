"""Airflow reads AIRFLOW_HOME and its config when first imported: point this process at a temp home before
any `import airflow` (conftest is imported before the test modules; the end-to-end tests give each
`airflow` subprocess its own home)."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from dag_harness import DAGS, airflow_env

_PARSE_HOME = Path(tempfile.mkdtemp(prefix="pagefleet-airflow-home-"))
os.environ.update(airflow_env(_PARSE_HOME))


@pytest.fixture(scope="session")
def dagbag():
    """The DAG folder parsed as the scheduler parses it; no import errors, both DAGs."""
    try:
        from airflow.dag_processing.dagbag import DagBag  # Airflow 3.1+
    except ImportError:  # pragma: no cover - Airflow 3.0
        from airflow.models.dagbag import DagBag
    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    assert sorted(bag.dag_ids) == ["pagefleet_incremental", "pagefleet_ingest"]
    yield bag  # use bag.dags[...], not bag.get_dag(): that consults the metadata DB
    shutil.rmtree(_PARSE_HOME, ignore_errors=True)
