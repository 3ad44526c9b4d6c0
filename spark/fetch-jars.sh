#!/usr/bin/env bash
# Fetches the jars spark/reader.py needs on top of the pyspark wheel: hadoop-aws matching the wheel's Hadoop,
# the AWS SDK v2 bundle that hadoop-aws release was built with, and Delta matching the pip-installed delta-spark.
# Safe to re-run: jars already in the destination are not fetched again.
# Prints the comma-separated jar list on stdout:  spark-submit --jars "$(bash spark/fetch-jars.sh)" ...
#   --no-s3                only the Delta jars (~6 MB): enough for a landing zone in a local folder (the demo);
#                          hadoop-aws and the AWS SDK bundle (~570 MB) are what s3a:// needs
#   PYTHON                 the python whose pyspark/delta-spark to match (default .venv/bin/python)
#   PAGEFLEET_SPARK_JARS   destination folder (default .tools/spark-jars)
set -euo pipefail

s3=1
for arg in "$@"; do
  case "$arg" in
    --no-s3) s3=0 ;;
    *) echo "fetch-jars: unknown option $arg (expected --no-s3)" >&2; exit 2 ;;
  esac
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-$repo/.venv/bin/python}"
dest="${PAGEFLEET_SPARK_JARS:-$repo/.tools/spark-jars}"

die() { echo "fetch-jars: $*" >&2; exit 1; }
log() { echo "fetch-jars: $*" >&2; }

command -v mvn >/dev/null || die "mvn not found on PATH (install Maven 3, e.g. apt-get install maven)"
[ -x "$python" ] || command -v "$python" >/dev/null || die "python not found: $python (set PYTHON)"

pyspark_jars="$("$python" -c 'import os, pyspark; print(os.path.join(os.path.dirname(pyspark.__file__), "jars"))' 2>/dev/null)" \
  || die "pyspark is not installed in $python"
api_jar="$(ls "$pyspark_jars"/hadoop-client-api-*.jar 2>/dev/null | head -n1 || true)"
[ -n "$api_jar" ] || die "no hadoop-client-api-*.jar in $pyspark_jars (is this a full pyspark install?)"
hadoop="$(basename "$api_jar" .jar)"; hadoop="${hadoop#hadoop-client-api-}"
scala_jar="$(ls "$pyspark_jars"/scala-library-*.jar 2>/dev/null | head -n1 || true)"
[ -n "$scala_jar" ] || die "no scala-library-*.jar in $pyspark_jars"
scala="$(basename "$scala_jar" .jar)"; scala="${scala#scala-library-}"; scala="${scala%.*}"   # 2.13.16 -> 2.13
delta="$("$python" -c 'import importlib.metadata as m; print(m.version("delta-spark"))' 2>/dev/null)" \
  || die "delta-spark is not installed in $python (pip install -r spark/requirements.txt)"

mkdir -p "$dest"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# mvn runs from an empty folder so no pom.xml around can change what it resolves; its log is shown on failure.
fetch() { # groupId:artifactId:version[:packaging] into a folder
  log "fetching $1"
  if ! (cd "$work" && mvn -B -q dependency:copy -Dartifact="$1" -DoutputDirectory="$2" >"$work/mvn.log" 2>&1); then
    cat "$work/mvn.log" >&2
    die "mvn could not fetch $1 from Maven Central"
  fi
}

wanted=(
  "io.delta:delta-spark_$scala:$delta"
  "io.delta:delta-storage:$delta"
)
if [ "$s3" = 1 ]; then
  # hadoop-aws is compiled against one SDK v2 release, named by this property of its parent pom
  fetch "org.apache.hadoop:hadoop-project:$hadoop:pom" "$work"
  sdk="$(sed -n 's:.*<aws-java-sdk-v2.version>\(.*\)</aws-java-sdk-v2.version>.*:\1:p' "$work/hadoop-project-$hadoop.pom" | head -n1)"
  [ -n "$sdk" ] || die "no <aws-java-sdk-v2.version> in hadoop-project-$hadoop.pom"
  log "pyspark Hadoop $hadoop (Scala $scala) -> hadoop-aws $hadoop, AWS SDK bundle $sdk; delta-spark $delta"
  wanted=("org.apache.hadoop:hadoop-aws:$hadoop" "software.amazon.awssdk:bundle:$sdk" "${wanted[@]}")
else
  log "pyspark Scala $scala -> delta-spark $delta (no s3a jars: --no-s3)"
fi
list=()
for coords in "${wanted[@]}"; do
  IFS=: read -r _ artifact version <<<"$coords"
  jar="$dest/$artifact-$version.jar"
  # other versions of the same artifact would end up on the classpath beside this one
  for old in "$dest/$artifact"-[0-9]*.jar; do
    if [ -e "$old" ] && [ "$old" != "$jar" ]; then
      log "removing $(basename "$old") (another version)"
      rm -f "$old"
    fi
  done
  if [ -s "$jar" ]; then
    log "have $(basename "$jar")"
  else
    fetch "$coords" "$dest"
    [ -s "$jar" ] || die "mvn did not produce $jar"
  fi
  list+=("$jar")
done

(IFS=,; echo "${list[*]}")
