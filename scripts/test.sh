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
# the docker suite's stand-in base images: a first build on a new machine is about 20 min of downloads and Go
# compiling, so it runs in the background from here, at the lowest CPU priority, while the other suites run
# (on a machine that has them it only checks their recipes' hashes); the docker suite waits for it
standins_log="$(mktemp "${TMPDIR:-/tmp}/pf-standins-XXXXXX.log")"
nice -n 19 bash scripts/compose-e2e.sh --standins-only >"$standins_log" 2>&1 &
standins_pid=$!
mapfile -t files < <(find dist/src dist/bench -name '*.spec.js' | sort; find dist/test -name '*.test.js' | sort)
node --test --test-concurrency=1 "$@" "${files[@]}" && node_ok=1 || node_ok=0
# the Spark reader (spark/): lint (ruff) and types (mypy --strict on the package pagefleet_spark and its entry),
# settings in spark/pyproject.toml, then its tests: real Spark local[2] via spark-submit, Java 17. The spark flag
# is 1 only when all three pass.
.venv/bin/ruff check spark && .venv/bin/mypy --config-file spark/pyproject.toml spark/pagefleet_spark spark/reader.py \
  && spark_checks=1 || spark_checks=0
.venv/bin/python -m pytest spark/tests -q -p no:cacheprovider && spark_ok=$spark_checks || spark_ok=0
# the Airflow DAG: DagBag import and `airflow dags test` for real (its own venv, .venv-airflow)
bash airflow/setup.sh
.venv-airflow/bin/python -m pytest airflow/tests -q -p no:cacheprovider && airflow_ok=1 || airflow_ok=0
# docker-compose.yml through Debian's docker-compose (no engine needed), then its topology as processes
bash deploy/validate-compose.sh && compose_ok=1 || compose_ok=0
bash scripts/e2e.sh && e2e_ok=1 || e2e_ok=0
# docker-compose.yml under a real engine: the images built, the stack up, the table read back
if wait "$standins_pid"; then tail -3 "$standins_log"
else echo "test.sh: the background stand-in build failed (compose-e2e builds what is missing now):"; tail -40 "$standins_log"; fi
bash scripts/compose-e2e.sh && docker_ok=1 || docker_ok=0
echo "suites: node $node_ok, spark $spark_ok, airflow $airflow_ok, compose $compose_ok, e2e $e2e_ok, docker $docker_ok (1 = passed)"
[ "$node_ok$spark_ok$airflow_ok$compose_ok$e2e_ok$docker_ok" = 111111 ]
