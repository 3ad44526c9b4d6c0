#!/usr/bin/env bash
# Validates docker-compose.yml with a real Compose implementation, without a Docker engine:
# Debian's docker-compose (1.29.2, its JSON schema and interpolation) must accept the file in the plain
# form a user types (no flag: it reads .env beside the file), must let --env-file replace .env, and must
# refuse an env file that lacks the settings (the ${VAR:?} guards). Each check runs with an empty
# environment, so nothing from the caller's shell fills a ${VAR} that .env should.
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
compose() { env -i PATH="$PATH" docker-compose "$@"; }

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

check "docker-compose accepts docker-compose.yml as it is (settings from .env, no flag)" \
  compose config -q

# --env-file replaces .env: the demo API's --size must come from the other file
sed 's/^DEMO_SIZE=.*/DEMO_SIZE=1234/' .env >"$work/other.env"
size_from_other_env() { compose --env-file "$work/other.env" config | grep -q -- '--size=1234'; }
check "--env-file other.env replaces .env (DEMO_SIZE=1234 reaches the demo API)" size_from_other_env

# an empty env file in place of .env: every ${VAR:?} must stop it
: >"$work/empty.env"
check "docker-compose refuses to run when the settings are missing" \
  refuses compose --env-file "$work/empty.env" config -q
echo "validate-compose: $passed passed, $failed failed"
[ "$failed" = 0 ]
