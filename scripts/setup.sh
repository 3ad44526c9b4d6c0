#!/usr/bin/env bash
# Installs what this checkout needs, and no more than the command it serves uses. Safe to run again.
#
#   bash scripts/setup.sh                    the tests (scripts/test.sh): npm packages and the compiled CLI;
#                                            a venv (.venv) with pyspark + delta-spark, the independent
#                                            readers (pyarrow, DuckDB, delta-rs) and moto_server; all the
#                                            Spark reader's jars (Delta, hadoop-aws, the AWS SDK bundle);
#                                            versitygw (built with Go)
#   bash scripts/setup.sh --demo             the demo (scripts/demo.sh): npm packages and the compiled CLI;
#                                            .venv with pyspark + delta-spark and delta-rs only
#                                            (requirements-demo.txt); the Delta jars only (a local folder
#                                            needs no s3a jars). No Go, no moto, no Airflow.
#   bash scripts/setup.sh --demo --no-spark  the light demo: npm packages and the compiled CLI (Node only)
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
demo=0 spark=1
for arg in "$@"; do
  case "$arg" in
    --demo) demo=1 ;;
    --no-spark) spark=0 ;;
    *) echo "setup.sh: unknown option $arg" >&2; usage ;;
  esac
done
[ "$demo" = 1 ] || [ "$spark" = 1 ] || { echo "setup.sh: --no-spark goes with --demo (the tests need Spark)" >&2; exit 2; }

node_packages() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
}

python_venv() { # requirements file
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  .venv/bin/pip install -q --disable-pip-version-check -r "$1"
}

# versitygw: a second S3 implementation for the tests (Apache-2.0, built from the Go module proxy)
versitygw() {
  if [ ! -x .tools/bin/versitygw ]; then
    GOBIN="$PWD/.tools/bin" GOFLAGS=-mod=mod go install github.com/versity/versitygw/cmd/versitygw@v1.7.0
  fi
}

# tsc takes long on a busy machine: skip it when nothing it compiles changed since the last build
compiled_cli() {
  local stamp=dist/.built-at
  if [ -e "$stamp" ] && [ -z "$(find src test bench tsconfig.json package-lock.json -newer "$stamp" -print -quit)" ]; then
    return
  fi
  npm run build --silent
  touch "$stamp"
}

node_packages
if [ "$demo" = 1 ]; then
  if [ "$spark" = 1 ]; then
    python_venv requirements-demo.txt
    # the Spark reader's Delta jars, matched to the delta-spark just installed
    bash spark/fetch-jars.sh --no-s3 >/dev/null
  fi
else
  python_venv requirements-dev.txt
  versitygw
  # the Spark reader's jars (hadoop-aws, AWS SDK bundle, Delta), matched to the pyspark just installed
  bash spark/fetch-jars.sh >/dev/null
fi
compiled_cli
