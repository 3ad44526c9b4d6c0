#!/usr/bin/env bash
# The README's first command: install, build, then run the demo (demo API + 4 executors → ./landing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node dist/src/cli/main.js demo "$@"
