#!/usr/bin/env bash
# `npm run compose:e2e`: docker-compose.yml for real, under a Docker engine this script starts itself.
#
#   1. installs docker.io, docker-compose and debootstrap if missing (apt-get, as root) and starts its own
#      dockerd (own data root, socket and exec root under PAGEFLEET_CACHE) with no bridge network;
#   2. builds the stand-in base images (deploy/standins/build.sh, once per machine: Docker Hub is not
#      reachable here) tagged as the Dockerfiles' FROM and the compose file's image: lines name them;
#   3. builds the project's Dockerfiles as they are and runs the compose file as it is, with one override,
#      deploy/compose.host.yml: every service on the host network, every address on 127.0.0.1 (checked:
#      the override changes nothing else). It runs the two files as `docker-compose config` merges them,
#      minus `ports:`, which Debian's docker-compose 1.29 refuses on the host network (see step 4 below);
#   4. checks what a user would: every executor container exits 0, the status one-shot exits 0, the reader
#      committed batches while the executors wrote, and the curated Delta table (copied out of the reader
#      container as the README says) holds every id exactly once, read with delta-rs;
#   5. `down -v`, and stops the dockerd it started.
#
# Settings come from .env (the file docker-compose reads).
# S3_PORT and DEMO_API_PORT are replaced by free ports when taken (the host network shares this machine's
# ports). Prints "compose-e2e: N passed, M failed" and the time each stage took.
# COMPOSE_E2E_KEEP=1 keeps the work folder (logs, the copied table).
# --standins-only: steps 1 and 2 only (the engine and the stand-in images), then stop the engine; the test
# command runs this in the background at the start, so a first build overlaps the other suites.
set -euo pipefail
STANDINS_ONLY=0
case "${1:-}" in
  '') ;;
  --standins-only) STANDINS_ONLY=1 ;;
  *) echo "compose-e2e: unknown argument \"$1\" (expected nothing or --standins-only)" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
REPO="$PWD"
PY="$REPO/.venv/bin/python"
CACHE="${PAGEFLEET_CACHE:-$HOME/.cache/pagefleet}"
DOCKER_HOME="$CACHE/docker"
export DOCKER=/usr/bin/docker   # Debian's client, the same release as its daemon
export DOCKER_HOST="unix://$DOCKER_HOME/docker.sock"
COMPOSE_FILES=(-f docker-compose.yml -f deploy/compose.host.yml)

T0=$(date +%s)
elapsed() { echo $(( $(date +%s) - T0 )); }
log() { printf 'compose-e2e [%4ss] %s\n' "$(elapsed)" "$*"; }
die() { log "$*"; exit 1; }
# shellcheck source=lib/e2e-checks.sh
. scripts/lib/e2e-checks.sh

# ---- settings: .env, as docker-compose reads them ----
ENV_FILE=.env
set -a
# shellcheck disable=SC1090
. "./$ENV_FILE"
set +a
[ -x "$PY" ] || { echo "compose-e2e: $PY is missing: run bash scripts/setup.sh" >&2; exit 2; }
"$PY" -c 'import deltalake' 2>/dev/null || { echo "compose-e2e: deltalake is missing in .venv: run bash scripts/setup.sh" >&2; exit 2; }

# ---- 1. the engine ----
[ "$(id -u)" = 0 ] || { echo "compose-e2e: run as root (it installs Debian packages and starts dockerd)" >&2; exit 2; }
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]} (Debian packages)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ -x "$DOCKER" ] || die "$DOCKER is missing (Debian's docker.io)"

mkdir -p "$DOCKER_HOME"
exec 9>"$DOCKER_HOME/lock"
flock -n 9 || die "another compose-e2e uses $DOCKER_HOME"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/pf-compose-e2e-XXXXXX")"
DOCKERD_PID='' STACK_UP=''
compose() { docker-compose --project-directory "$REPO" --env-file "$REPO/$ENV_FILE" "${COMPOSE_FILES[@]}" "$@"; }
cleanup() {
  local code=$?
  if [ -n "$STACK_UP" ]; then
    compose logs --no-color >"$WORK/compose.log" 2>&1 || true
    compose down -v --remove-orphans >>"$WORK/down.log" 2>&1 || log "docker-compose down -v failed (see $WORK/down.log)"
  fi
  if [ -n "$DOCKERD_PID" ]; then
    kill -TERM "$DOCKERD_PID" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$DOCKERD_PID" 2>/dev/null || true
  fi
  if [ "${COMPOSE_E2E_KEEP:-}" = 1 ] || [ "$code" != 0 ]; then echo "compose-e2e: logs kept in $WORK" >&2
  else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# no bridge: no docker0, no NAT rules, and no network other than host and none ever exists
dockerd --data-root "$DOCKER_HOME/data" --exec-root "$DOCKER_HOME/run" --pidfile "$DOCKER_HOME/dockerd.pid" \
  -H "$DOCKER_HOST" --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
  >"$WORK/dockerd.log" 2>&1 &
DOCKERD_PID=$!
for _ in $(seq 120); do "$DOCKER" version >/dev/null 2>&1 && break; kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.5; done
"$DOCKER" version >/dev/null 2>&1 || { tail -20 "$WORK/dockerd.log" >&2; die "dockerd did not start"; }
log "dockerd $("$DOCKER" version -f '{{.Server.Version}}') at $DOCKER_HOST (no bridge network)"

# ---- 2. stand-ins for every image the repository does not build ----
# FROM lines (not earlier stages) and image: lines of services without a build
external_images() {
  awk 'toupper($1) == "FROM" { img = ($2 ~ /^--/) ? $3 : $2; if (!(img in stage)) print img; if (toupper($(NF-1)) == "AS") stage[$NF] = 1 }' \
    Dockerfile spark/Dockerfile
  compose config 2>/dev/null | "$PY" -c 'import sys, yaml
for s in yaml.safe_load(sys.stdin)["services"].values():
    if "build" not in s: print(s["image"])'
}
uncovered="$(external_images | sort -u | while read -r img; do
  awk -v img="$img" '$1 == img { found = 1 } END { exit !found }' deploy/standins/images.txt || echo "$img"; done)"
[ -z "$uncovered" ] || die "no stand-in for $(echo "$uncovered" | tr '\n' ' ')(add one to deploy/standins/images.txt)"
t=$(date +%s)
bash deploy/standins/build.sh 2>&1 | sed 's/^/  /'
log "stand-in images ready ($(( $(date +%s) - t ))s)"
if [ "$STANDINS_ONLY" = 1 ]; then log "stand-ins only: done"; exit 0; fi

# the containers on the host network carry this machine's hostname; the override maps it to 127.0.0.1
export HOSTNAME="${HOSTNAME:-$(hostname)}"

# ---- 3. ports: the host network shares this machine's ports ----
for var in S3_PORT DEMO_API_PORT; do
  if ! port_free "${!var}"; then export "$var=$(free_port)"; log "$var taken, using ${!var}"; fi
done
# the other ports `weed mini` (4.53) opens by default: master, volume, filer and S3 gRPC (HTTP + 10000),
# WebDAV, Iceberg, Lance, the admin UI and its legacy port
WEED_PORTS=(9333 19333 9340 19340 8888 18888 18333 7333 8181 9101 12535 22535 23646 33646)
# 33646 lies in the kernel's ephemeral range (32768-60999 by default), where any client socket or port-0
# listener of this machine may be given it: reserve the fixed ports, so none is handed out while the stack runs
# (added to the machine's list, never removed from it), and wait a while for one held by a passing process
reserved=/proc/sys/net/ipv4/ip_local_reserved_ports
if [ -w "$reserved" ]; then
  current="$(cat "$reserved")"
  (IFS=,; echo "${current:+$current,}${WEED_PORTS[*]}") >"$reserved" || log "could not reserve weed mini's ports ($reserved)"
fi
for p in "${WEED_PORTS[@]}"; do
  for _ in $(seq 60); do port_free "$p" && break; sleep 1; done
  port_free "$p" || die "port $p is taken (for 60 s): weed mini needs it on the host network; held by: $(ss -ltnp "sport = :$p" 2>/dev/null | tail -n +2 | tr -s ' ' | cut -c1-160)"
done

# ---- the override changes nothing but networks and addresses ----
compose_config() { docker-compose --project-directory "$REPO" --env-file "$REPO/$ENV_FILE" "$@" config; }
compose_config -f docker-compose.yml >"$WORK/config.base.yml"
compose_config "${COMPOSE_FILES[@]}" >"$WORK/config.host.yml"
override_only_networks() { "$PY" - "$WORK/config.base.yml" "$WORK/config.host.yml" <<'PYEOF'
import sys, yaml
base, host = (yaml.safe_load(open(p))["services"] for p in sys.argv[1:])
def loopback(cmd):  # the address flags the override may change, made equal
    return [a.replace("0.0.0.0", "127.0.0.1") for a in cmd or [] if a != "-ip=127.0.0.1"]
bad = []
if set(base) != set(host): bad.append(f"services differ: {sorted(set(base) ^ set(host))}")
for name, h in host.items():
    b = dict(base.get(name, {}))
    h = dict(h)
    if h.pop("network_mode", None) != "host": bad.append(f"{name}: not on the host network")
    if any(ip != "127.0.0.1" for ip in (h.pop("extra_hosts", None) or {}).values()): bad.append(f"{name}: extra_hosts not 127.0.0.1")
    if "build" in h:
        if h["build"].pop("network", None) != "host": bad.append(f"{name}: build not on the host network")
    if loopback(h.pop("command", None)) != loopback(b.pop("command", None)): bad.append(f"{name}: command changed")
    if h != b: bad.append(f"{name}: changed {sorted(k for k in set(h) | set(b) if h.get(k) != b.get(k))}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PYEOF
}
check "deploy/compose.host.yml only moves services to the host network and 127.0.0.1" override_only_networks

# ---- 4. what runs: the two files as docker-compose resolves them, without `ports:` ----
# Debian's docker-compose 1.29 refuses published ports on the host network ("host" network_mode is
# incompatible with port_bindings, from docker-py) where the engine and Compose v2 only drop them: on
# the host network a service's port is the machine's port anyway. So the stack runs from the merged
# config with the ports removed; everything else is docker-compose's own resolution of the two files.
"$PY" - "$WORK/config.host.yml" "$WORK/compose.run.yml" <<'PYEOF'
import sys, yaml
config = yaml.safe_load(open(sys.argv[1]))
for service in config["services"].values():
    service.pop("ports", None)
yaml.safe_dump(config, open(sys.argv[2], "w"), sort_keys=False)
PYEOF
compose() { docker-compose --project-directory "$REPO" -p "$COMPOSE_PROJECT_NAME" -f "$WORK/compose.run.yml" "$@"; }

t=$(date +%s)
nice -n 10 docker-compose --project-directory "$REPO" -p "$COMPOSE_PROJECT_NAME" -f "$WORK/compose.run.yml" build \
  >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log" >&2; die "docker-compose build failed (log: $WORK/build.log)"; }
log "project images built: pagefleet:$PAGEFLEET_VERSION, pagefleet-spark:$PAGEFLEET_VERSION ($(( $(date +%s) - t ))s)"

STACK_UP=1
t=$(date +%s)
# `up -d` returns once every container has been started, which for `status` means after every executor
# completed (its depends_on); it fails when a dependency fails
up_code=0
timeout 900 docker-compose --project-directory "$REPO" -p "$COMPOSE_PROJECT_NAME" -f "$WORK/compose.run.yml" up -d --no-build \
  >"$WORK/up.log" 2>&1 || up_code=$?
log "docker-compose up -d returned $up_code ($(( $(date +%s) - t ))s)"
[ "$up_code" = 0 ] || sed 's/^/  /' "$WORK/up.log" | tail -20

# ---- 5. what a user would check ----
cid() { compose ps -q "$1" 2>/dev/null; }
state() { "$DOCKER" inspect -f "$2" "$(cid "$1")" 2>/dev/null; }
exit_code() { [ -n "$(cid "$1")" ] || { echo none; return; }; timeout 300 "$DOCKER" wait "$(cid "$1")" || echo running; }

# every container on the host network; no other network was made
only_host_networks() {
  local c bad=0
  for c in $(compose ps -q); do
    [ "$("$DOCKER" inspect -f '{{.HostConfig.NetworkMode}}' "$c")" = host ] || { echo "container $c not on the host network"; bad=1; }
  done
  [ "$("$DOCKER" network ls --format '{{.Name}}' | sort | tr '\n' ' ')" = "host none " ] || { "$DOCKER" network ls; bad=1; }
  return $bad
}
check "every container uses the host network, and no bridge network exists" only_host_networks

codes=()
for ((i = 0; i < EXECUTORS; i++)); do codes+=("$(exit_code "executor-$i")"); done
log "executor exit codes: ${codes[*]}"
check "every executor container ($EXECUTORS) exited 0" all_zero "${codes[@]}"
status_code="$(exit_code status)"
compose logs --no-color status >"$WORK/status.log" 2>&1 || true
check "the status one-shot exited 0 (every page of run $RUN_ID landed; got $status_code)" test "$status_code" = 0

# ---- the reader: batches while the executors wrote, then the whole catalogue ----
READER="$(cid reader)"
exec_done() { # the last executor's finish time, in epoch seconds
  local i; for ((i = 0; i < EXECUTORS; i++)); do state "executor-$i" '{{.State.FinishedAt}}'; done | "$PY" -c '
import sys
from datetime import datetime
done = [datetime.fromisoformat(l.strip()[:26].rstrip("Z") + "+00:00").timestamp() for l in sys.stdin if l.startswith("2")]
print(max(done, default=0))'
}
EXEC_DONE="$(exec_done)"
reader_batches() { "$DOCKER" logs "$READER" 2>/dev/null | grep '^{"event": "batch"' || true; }
rows_committed() { reader_batches | "$PY" -c 'import json, sys
print(sum(json.loads(l).get("rows", 0) for l in sys.stdin))'; }
for _ in $(seq 120); do # the reader commits the last files within a few triggers
  [ "$(rows_committed)" -ge "$DEMO_SIZE" ] && break
  [ "$(state reader '{{.State.Running}}')" = true ] || break
  sleep 1
done
reader_batches >"$WORK/reader-batches.log"
check "the reader streamed while the executors wrote ($(wc -l <"$WORK/reader-batches.log") batches, the first before they finished)" \
  batch_before "$WORK/reader-batches.log" "$EXEC_DONE"
compose stop reader >/dev/null 2>&1 || true
reader_code="$(state reader '{{.State.ExitCode}}')"
"$DOCKER" logs "$READER" >"$WORK/reader.log" 2>&1 || true
check "the reader stopped cleanly on SIGTERM (exit $reader_code)" test "$reader_code" = 0 -o "$reader_code" = 143

# the table, copied out of the container as the README tells users, read with delta-rs (not Spark)
"$DOCKER" cp "$READER:/data/curated" "$WORK/curated" 2>"$WORK/cp.log" || true
table_summary "$WORK/curated/$DATASET" "$DEMO_SIZE" >"$WORK/verify.out"
log "delta-rs: $(tail -n 1 "$WORK/verify.out")"
check "delta-rs reads $DEMO_SIZE rows, ids exactly 1..$DEMO_SIZE once each" \
  grep -q "^rows=$DEMO_SIZE distinct=$DEMO_SIZE nulls=0 min=1 max=$DEMO_SIZE " "$WORK/verify.out"

if [ "$failed" != 0 ]; then
  compose logs --no-color --tail=30 >&2 || true
fi
log "took $(elapsed)s"
summary compose-e2e
