#!/usr/bin/env bash
# Installs what pagefleet and its tests need into this checkout: npm packages, a Python venv with the
# independent readers (pyarrow, DuckDB), and the compiled CLI. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
npm run build --silent
