#!/usr/bin/env bash
# The README's second command: install, build, run every test: unit specs and real-process integration
# (node:test), then the Spark reader's tests (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mapfile -t files < <(find dist/src -name '*.spec.js' | sort; find dist/test -name '*.test.js' | sort)
node --test --test-concurrency=1 "$@" "${files[@]}" && node_ok=1 || node_ok=0
# the Spark reader (spark/): real Spark local[2] via spark-submit, Java 17
.venv/bin/python -m pytest spark/tests -q -p no:cacheprovider && spark_ok=1 || spark_ok=0
[ "$node_ok" = 1 ] && [ "$spark_ok" = 1 ]
