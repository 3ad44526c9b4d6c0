#!/usr/bin/env bash
# The README's second command: install, build, run every test (unit specs and real-process integration).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mapfile -t files < <(find dist/src -name '*.spec.js' | sort; find dist/test -name '*.test.js' | sort)
node --test --test-concurrency=1 "$@" "${files[@]}"
