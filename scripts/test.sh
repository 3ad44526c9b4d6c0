#!/usr/bin/env bash
# The README's second command: install, build, run every test: unit specs and real-process integration
# (node:test), the Spark reader's tests and the Airflow DAG's (pytest), docker-compose.yml's validation and the
# end-to-end run of the compose topology as plain processes, then the compose file for real under a Docker engine
# (scripts/compose-e2e.sh: its own dockerd, stand-in base images, the real Dockerfiles).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# headless Chromium renders the run report in test/report-html.test.ts (tests only: the demo does not need it)
if ! command -v "${PAGEFLEET_CHROMIUM:-chromium}" >/dev/null; then
  echo "test.sh: installing chromium (Debian package)" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
mapfile -t files < <(find dist/src dist/bench -name '*.spec.js' | sort; find dist/test -name '*.test.js' | sort)
node --test --test-concurrency=1 "$@" "${files[@]}" && node_ok=1 || node_ok=0
# the Spark reader (spark/): real Spark local[2] via spark-submit, Java 17
.venv/bin/python -m pytest spark/tests -q -p no:cacheprovider && spark_ok=1 || spark_ok=0
# the Airflow DAG: DagBag import and `airflow dags test` for real (its own venv, .venv-airflow)
bash airflow/setup.sh
.venv-airflow/bin/python -m pytest airflow/tests -q -p no:cacheprovider && airflow_ok=1 || airflow_ok=0
# docker-compose.yml through Debian's docker-compose (no engine needed), then its topology as processes
bash deploy/validate-compose.sh && compose_ok=1 || compose_ok=0
bash scripts/e2e.sh && e2e_ok=1 || e2e_ok=0
# docker-compose.yml under a real engine: the images built, the stack up, the table read back
bash scripts/compose-e2e.sh && docker_ok=1 || docker_ok=0
echo "suites: node $node_ok, spark $spark_ok, airflow $airflow_ok, compose $compose_ok, e2e $e2e_ok, docker $docker_ok (1 = passed)"
[ "$node_ok$spark_ok$airflow_ok$compose_ok$e2e_ok$docker_ok" = 111111 ]
