#!/usr/bin/env bash
# Validates docker-compose.yml with a real Compose implementation, without a Docker engine:
# Debian's docker-compose (1.29.2, its JSON schema and interpolation) resolves the file with
# deploy/stack.env and must accept it; without the env file it must refuse (the ${VAR:?} guards).
# Installs docker-compose with apt-get when it is missing (as root, like CI). The static checks of
# what the stack means (indexes, pins, health-gated depends_on, ports, env names) are test/compose.test.ts.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v docker-compose >/dev/null; then
  echo "validate-compose: installing docker-compose (Debian package)" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
fi

passed=0 failed=0
check() { # name, command...
  local name=$1; shift
  if out="$("$@" 2>&1)"; then passed=$((passed + 1)); echo "ok: $name"
  else failed=$((failed + 1)); echo "FAIL: $name"; echo "$out" | sed 's/^/  /'; fi
}
refuses() { ! "$@"; }

check "docker-compose accepts docker-compose.yml with deploy/stack.env" \
  docker-compose --project-directory . -f docker-compose.yml --env-file deploy/stack.env config -q
# an empty env file (not the project's .env, should one exist): every ${VAR:?} must stop it
empty="$(mktemp)"; trap 'rm -f "$empty"' EXIT
check "docker-compose refuses to run without deploy/stack.env" \
  refuses env -i PATH="$PATH" docker-compose --project-directory . -f docker-compose.yml --env-file "$empty" config -q
echo "validate-compose: $passed passed, $failed failed"
[ "$failed" = 0 ]
