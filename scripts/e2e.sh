#!/usr/bin/env bash
# End to end, the topology of docker-compose.yml as plain processes on this machine (no Docker here),
# with the settings of .env (the file docker compose reads):
#   S3 server (moto_server for SeaweedFS) + bucket, the demo API, the Spark reader streaming
#   s3a://S3_BUCKET/S3_PREFIX into a Delta table, and EXECUTORS `pagefleet ingest --executor-index i`
#   processes started together while it streams. Then: the table holds the catalogue exactly once
#   (checked with delta-rs, not Spark), every executor exited 0, `pagefleet status` exits 0.
# Needs what scripts/setup.sh installs (.venv with moto/boto3/pyspark/deltalake, the jars, dist/).
# Ports: .env's, or free ones when those are taken. Prints "e2e: N passed, M failed".
# E2E_KEEP=1 keeps the work folder (logs, table); E2E_READER=path runs another copy of spark/reader.py
# (with the package pagefleet_spark/ beside it, which it imports).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
PY="$REPO/.venv/bin/python"
CLI=(node "$REPO/dist/src/cli/main.js")
JOB="$REPO/deploy/movies.yaml"

set -a
# shellcheck source=../.env
. ./.env
set +a
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

for need in "$PY" "$REPO/.venv/bin/moto_server" "$REPO/.venv/bin/spark-submit" "$REPO/dist/src/cli/main.js"; do
  [ -e "$need" ] || { echo "e2e: $need is missing: run bash scripts/setup.sh" >&2; exit 2; }
done
JARS="$(bash spark/fetch-jars.sh 2>/dev/null)" || { echo "e2e: spark/fetch-jars.sh failed" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/pf-e2e-XXXXXX")"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "${E2E_KEEP:-}" = 1 ]; then echo "e2e: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

T0=$(date +%s.%N)
elapsed() { awk -v now="$(date +%s.%N)" -v t0="$T0" 'BEGIN { printf "%.1f", now - t0 }'; }
log() { printf 'e2e [%6ss] %s\n' "$(elapsed)" "$*"; }
# shellcheck source=lib/e2e-checks.sh
. scripts/lib/e2e-checks.sh
pick_port() { if port_free "$1"; then echo "$1"; else free_port; fi; }
wait_for() { # seconds, description, command...
  local secs=$1 what=$2; shift 2
  local end=$(( $(date +%s) + secs ))
  until "$@"; do
    if [ "$(date +%s)" -ge "$end" ]; then log "timed out after ${secs}s waiting for $what"; return 1; fi
    sleep 0.5
  done
}
dump_logs() { # the last lines of every process's log, without moto's access log
  local f
  for f in "$WORK"/*.log; do echo "----- $(basename "$f") (last 30 lines)"; grep -v '^127\.0\.0\.1 - - ' "$f" | tail -n 30; done >&2
}

# ---- S3: moto_server in SeaweedFS's place, and the bucket ----
s3_port="$(pick_port "$S3_PORT")"
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$s3_port"
"$REPO/.venv/bin/moto_server" -H 127.0.0.1 -p "$s3_port" >"$WORK/s3.log" 2>&1 &
PIDS+=($!)
wait_for 30 "moto_server" "$PY" -c 'import sys, urllib.request, urllib.error
try: urllib.request.urlopen(sys.argv[1], timeout=1)
except urllib.error.HTTPError: pass' "$AWS_ENDPOINT_URL_S3" 2>/dev/null
"$PY" -c 'import os, boto3
boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL_S3"]).create_bucket(Bucket=os.environ["S3_BUCKET"])'
log "S3 at $AWS_ENDPOINT_URL_S3, bucket $S3_BUCKET"

# ---- the demo API ----
api_port="$(pick_port "$DEMO_API_PORT")"
"${CLI[@]}" mock-api --port "$api_port" --size "$DEMO_SIZE" --per-page "$DEMO_PER_PAGE" >"$WORK/demo-api.log" 2>&1 &
PIDS+=($!)
wait_for 20 "the demo API" grep -q '"url"' "$WORK/demo-api.log"
export PAGEFLEET_DEMO_API
PAGEFLEET_DEMO_API="$(head -n1 "$WORK/demo-api.log" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["url"])')"
log "demo API at $PAGEFLEET_DEMO_API ($DEMO_SIZE records, $DEMO_PER_PAGE per page)"

# ---- the Spark reader, started first: it waits for the dataset, then streams while executors write ----
LANDING="s3a://$S3_BUCKET/$S3_PREFIX"
TABLE="$WORK/curated/$DATASET"
PYSPARK_PYTHON="$PY" PAGEFLEET_SPARK_LOG_LEVEL=ERROR \
  "$REPO/.venv/bin/spark-submit" --master 'local[2]' --jars "$JARS" \
  --conf spark.ui.enabled=false --conf spark.sql.shuffle.partitions=4 \
  "${E2E_READER:-spark/reader.py}" --landing "$LANDING" --dataset "$DATASET" --output "$TABLE" \
  --checkpoint "$WORK/checkpoints/$DATASET" --trigger "$READER_TRIGGER" --wait 180 >"$WORK/reader.log" 2>&1 &
READER=$!
PIDS+=("$READER")
wait_for 120 "the reader to start" grep -q '"event": "waiting"\|"event": "started"' "$WORK/reader.log" || { dump_logs; exit 1; }
log "reader up, streaming $LANDING into $TABLE every ${READER_TRIGGER}s"

# ---- EXECUTORS executors of one run, started together (like the compose services) ----
export PAGEFLEET_ROOT="s3://$S3_BUCKET/$S3_PREFIX" PAGEFLEET_RUN_ID="$RUN_ID" PAGEFLEET_EXECUTORS="$EXECUTORS" \
  PAGEFLEET_RATE="$INGEST_RATE" PAGEFLEET_LOG_FORMAT=json
EXEC_PIDS=()
for ((i = 0; i < EXECUTORS; i++)); do
  PAGEFLEET_EXECUTOR_INDEX="$i" "${CLI[@]}" ingest "$JOB" >"$WORK/executor-$i.log" 2>&1 &
  EXEC_PIDS+=($!)
  PIDS+=($!)
done
log "started $EXECUTORS executors of run $RUN_ID at $INGEST_RATE requests/s"
exec_codes=()
for pid in "${EXEC_PIDS[@]}"; do
  code=0; wait "$pid" || code=$?
  exec_codes+=("$code")
done
EXEC_DONE=$(date +%s.%N)
log "executors done, exit codes: ${exec_codes[*]}"

# ---- wait for the table to hold the catalogue, then stop the reader ----
table_rows() { "$PY" -c 'import sys
from deltalake import DeltaTable
try: print(DeltaTable(sys.argv[1]).to_pyarrow_dataset().count_rows())
except Exception: print(0)' "$TABLE"; }
complete() { [ "$(table_rows)" -ge "$DEMO_SIZE" ] || ! kill -0 "$READER" 2>/dev/null; }
wait_for 120 "the curated table to hold $DEMO_SIZE rows" complete || true
log "curated table: $(table_rows) rows"
kill -TERM "$READER" 2>/dev/null || true
reader_code=0; wait "$READER" || reader_code=$?
log "reader stopped (exit $reader_code)"

# ---- assertions ----
check "every executor ($EXECUTORS) exited 0" all_zero "${exec_codes[@]}"
table_summary "$TABLE" "$DEMO_SIZE" >"$WORK/verify.out"
verify="$(cat "$WORK/verify.out")"
log "delta-rs: $verify"
check "delta-rs reads exactly $DEMO_SIZE rows" grep -q "rows=$DEMO_SIZE " "$WORK/verify.out"
check "delta-rs reads $DEMO_SIZE distinct ids, exactly 1..$DEMO_SIZE" grep -q "distinct=$DEMO_SIZE nulls=0 min=1 max=$DEMO_SIZE " "$WORK/verify.out"
batches=$(grep -c '^{"event": "batch"' "$WORK/reader.log" || true)
check "the reader streamed while the executors wrote ($batches batches, the first before they finished)" batch_before "$WORK/reader.log" "$EXEC_DONE"
check "the reader stopped cleanly on SIGTERM" test "$reader_code" = 0 -o "$reader_code" = 143
status_ok() { "${CLI[@]}" status "$JOB" --run-id "$RUN_ID" >"$WORK/status.log" 2>&1; }
check "pagefleet status exits 0 (every page of run $RUN_ID landed)" status_ok

[ "$failed" = 0 ] || dump_logs
log "took $(elapsed)s"
summary e2e
