#!/usr/bin/env bash
# The README's first command: the whole flow on this machine.
#
#   bash scripts/demo.sh [--no-spark] [--out DIR] [--size N] [--executors N]
#
# 1. installs what the demo needs and nothing else (scripts/setup.sh --demo: Node packages; pyspark,
#    delta-spark and delta-rs in .venv; the Delta jars);
# 2. starts the Spark reader (spark/reader.py via spark-submit), streaming the landing zone into a Delta
#    table as files land;
# 3. serves the demo API and ingests it with 4 executors (`pagefleet demo`: progress bar, summary);
# 4. waits for the reader to take the last files, stops it, and reads back the curated table (rows,
#    distinct ids, with delta-rs), the landing zone (files per format) and `pagefleet status`.
#
# --no-spark: steps 1 (Node only) and 3, then the landing zone and status.
# Everything goes under DIR (default ./demo): landing/, curated/, checkpoints/, logs/, demo.yaml. DIR is
# emptied first when an earlier demo made it; a folder the demo did not make is refused.
# Exit: status's (0 = every page landed exactly once), 1 when the Spark part failed, 2 bad arguments.
set -euo pipefail
CALLER_PWD="$PWD"
cd "$(dirname "$0")/.."
REPO="$PWD"

usage() { sed -n '4p' "$0" | sed 's/^# *//' >&2; exit 2; }
spark=1 out=demo size=100000 executors=4
while [ $# -gt 0 ]; do
  case "$1" in
    --no-spark) spark=0 ;;
    --out) out="${2:?--out needs a folder}"; shift ;;
    --size) size="${2:?--size needs a number}"; shift ;;
    --executors) executors="${2:?--executors needs a number}"; shift ;;
    -h|--help) usage ;;
    *) echo "demo.sh: unknown option $1" >&2; usage ;;
  esac
  shift
done
[[ "$size" =~ ^[1-9][0-9]*$ ]] || { echo "demo.sh: --size: expected a positive integer, got $size" >&2; exit 2; }
[[ "$executors" =~ ^[1-9][0-9]*$ ]] || { echo "demo.sh: --executors: expected a positive integer, got $executors" >&2; exit 2; }

if [ "$spark" = 1 ] && ! command -v java >/dev/null; then
  echo "demo.sh: the Spark part needs Java 17 (java on PATH); bash scripts/demo.sh --no-spark needs only Node" >&2
  exit 2
fi

# ---- the output folder: emptied only if an earlier demo made it ----
MARK=.pagefleet-demo
case "$out" in /*) ;; *) out="$CALLER_PWD/$out" ;; esac   # --out is relative to where demo.sh was called
if [ -e "$out" ] && [ ! -e "$out/$MARK" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
  echo "demo.sh: --out $out exists and was not made by the demo: pick another folder" >&2
  exit 2
fi
rm -rf "$out"
mkdir -p "$out/logs"
touch "$out/$MARK"
OUT="$(cd "$out" && pwd)"

T0=$(date +%s)
say() { printf 'demo [%3ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }

if [ "$spark" = 1 ]; then
  say "installing what the demo needs: scripts/setup.sh --demo (Node packages, pyspark + delta-spark + delta-rs, Delta jars)"
  bash scripts/setup.sh --demo
else
  say "installing what the demo needs: scripts/setup.sh --demo --no-spark (Node packages)"
  bash scripts/setup.sh --demo --no-spark
fi

LANDING="$OUT/landing"
DATASET=demo_movies
TABLE="$OUT/curated/$DATASET"
JOB="$OUT/demo.yaml"
CLI=(node "$REPO/dist/src/cli/main.js")

READER=""
cleanup() {
  if [ -n "$READER" ] && kill -0 "$READER" 2>/dev/null; then kill -TERM "$READER" 2>/dev/null || true; wait "$READER" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log_tail() { grep -v '^\s*$' "$1" | tail -n "${2:-20}" | sed 's/^/  | /' >&2; }

# ---- the Spark reader, first: it waits for the dataset, then streams while the executors write ----
if [ "$spark" = 1 ]; then
  JARS="$(bash spark/fetch-jars.sh --no-s3 2>/dev/null)" || { echo "demo.sh: bash spark/fetch-jars.sh --no-s3 failed (run it to see why)" >&2; exit 1; }
  READER_LOG="$OUT/logs/reader.log"
  say "starting the Spark reader: $LANDING -> Delta table $TABLE, a micro-batch every 3 s (log: $READER_LOG)"
  PYSPARK_PYTHON="$REPO/.venv/bin/python" PAGEFLEET_SPARK_LOG_LEVEL=ERROR \
    "$REPO/.venv/bin/spark-submit" --master 'local[2]' --jars "$JARS" --conf spark.sql.shuffle.partitions=4 \
    spark/reader.py --landing "$LANDING" --dataset "$DATASET" --output "$TABLE" \
    --checkpoint "$OUT/checkpoints/$DATASET" --trigger 3 --wait 600 >"$READER_LOG" 2>&1 &
  READER=$!
  until grep -q '"event": "waiting"\|"event": "started"' "$READER_LOG"; do
    if ! kill -0 "$READER" 2>/dev/null; then
      say "the Spark reader did not start:"; log_tail "$READER_LOG"; exit 1
    fi
    sleep 1
  done
  say "the Spark reader is up and waits for the dataset"
fi

# ---- the demo API and the executors (progress bar and summary on this terminal) ----
# With Spark, the ingest is paced (25 requests/s) and files are cut every 5 s, so that files land all
# along the run and the reader's micro-batches take them while the executors still write.
pace=()
[ "$spark" = 1 ] && pace=(--rate 25 --max-file-age 5s)
ingest_code=0
"${CLI[@]}" demo --root "$LANDING" --job "$JOB" --executors "$executors" --size "$size" ${pace[@]+"${pace[@]}"} --no-hints || ingest_code=$?
EXECUTORS_DONE=$(date +%s.%N)
echo
say "executors done (exit $ingest_code)"

failed=0
# ---- the reader takes the last files, then stops; read the table back ----
if [ "$spark" = 1 ]; then
  PY="$REPO/.venv/bin/python"
  LANDED="$LANDING/_pagefleet/$DATASET/landed/parquet"
  deadline=$(( $(date +%s) + 180 ))
  until "$PY" scripts/demo_readback.py caught-up "$READER_LOG" "$LANDED"; do
    if ! kill -0 "$READER" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; then
      say "the Spark reader stopped or fell behind:"; log_tail "$READER_LOG"; failed=1; break
    fi
    sleep 1
  done
  kill -TERM "$READER" 2>/dev/null || true
  reader_code=0; wait "$READER" || reader_code=$?
  READER=""
  case "$reader_code" in 0|143) how="stopped" ;; *) how="failed (exit $reader_code, log: $READER_LOG)"; failed=1 ;; esac
  say "Spark reader $how: $("$PY" scripts/demo_readback.py stream "$READER_LOG" "$EXECUTORS_DONE")"
  echo
  echo "Curated Delta table $TABLE (read with delta-rs):"
  if table="$("$PY" scripts/demo_readback.py table "$TABLE" 2>&1)"; then echo "  $table"; else echo "$table" >&2; failed=1; fi
fi

# ---- the landing zone and its status ----
echo
echo "Landing zone $LANDING:"
for fmt in parquet ndjson; do
  dir="$LANDING/$DATASET/$fmt"
  [ -d "$dir" ] || continue
  files="$(find "$dir" -type f ! -name '_*' ! -name '.*' | wc -l | tr -d ' ')"
  bytes="$(find "$dir" -type f ! -name '_*' ! -name '.*' -exec wc -c {} + | awk '$2 != "total" { s += $1 } END { print s + 0 }')"
  printf '  %-8s %4s files, %6.1f MiB  %s\n' "$fmt" "$files" "$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')" "$dir"
done
echo
echo "pagefleet status $JOB:"
set +e
"${CLI[@]}" status "$JOB" 2>&1 | sed '/^$/d; s/^/  /'
status_code=${PIPESTATUS[0]}
set -e
echo
say "done (status exit $status_code)"
[ "$failed" = 0 ] || exit 1
exit "$status_code"
