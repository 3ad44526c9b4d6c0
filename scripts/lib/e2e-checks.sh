# Shared by scripts/e2e.sh and scripts/compose-e2e.sh (sourced, after the caller defines `log` and `PY`):
# the pass/fail tally, free ports, and the checks both make of a finished run.
# shellcheck shell=bash

passed=0 failed=0
check() { # description, then a command that must succeed
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); log "ok: $what"
  else failed=$((failed + 1)); log "FAIL: $what"; fi
}
# Prints "<name>: N passed, M failed"; succeeds only when nothing failed.
summary() {
  echo "$1: $passed passed, $failed failed"
  [ "$failed" = 0 ]
}
all_zero() { # exit codes...: succeeds when every one is 0
  local c; for c in "$@"; do [ "$c" = 0 ] || return 1; done
}

# SO_REUSEADDR as the servers set it: a port with TIME_WAIT leftovers of an earlier run still counts as free
port_free() { "$PY" -c 'import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null; }
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The curated Delta table's id column, read with delta-rs (not Spark), as one line:
# "rows=R distinct=D nulls=N min=A max=B expected=E". Never fails: a missing table is a line that says so.
table_summary() { # table folder, expected rows
  "$PY" - "$1" "$2" 2>&1 <<'PYEOF' || true
import sys
from deltalake import DeltaTable
import pyarrow.compute as pc
t = DeltaTable(sys.argv[1]).to_pyarrow_table(columns=["id"])
ids = t.column("id")
mm = pc.min_max(ids).as_py() if t.num_rows else {"min": None, "max": None}
print(f"rows={t.num_rows} distinct={len(pc.unique(ids))} nulls={ids.null_count} min={mm['min']} max={mm['max']} expected={sys.argv[2]}")
PYEOF
}

# Succeeds when the reader's log (its JSON lines) has a batch committed before `time` (epoch seconds).
batch_before() { # reader log, time
  "$PY" - "$1" "$2" <<'PYEOF'
import json, sys
ts = [json.loads(l)["ts"] for l in open(sys.argv[1]) if l.startswith('{"event": "batch"')]
sys.exit(0 if ts and min(ts) < float(sys.argv[2]) else 1)
PYEOF
}
