#!/usr/bin/env bash
# Installs what pagefleet and its tests need into this checkout: npm packages, a Python venv with the
# independent readers (pyarrow, DuckDB, delta-rs), moto_server, pyspark + Delta and their jars, versitygw,
# and the compiled CLI. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
# versitygw: a second S3 implementation for the tests (Apache-2.0, built from the Go module proxy)
if [ ! -x .tools/bin/versitygw ]; then
  GOBIN="$PWD/.tools/bin" GOFLAGS=-mod=mod go install github.com/versity/versitygw/cmd/versitygw@v1.7.0
fi
# the Spark reader's jars (hadoop-aws, AWS SDK bundle, Delta), matched to the pyspark just installed
bash spark/fetch-jars.sh >/dev/null
npm run build --silent
