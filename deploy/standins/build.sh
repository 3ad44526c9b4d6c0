#!/usr/bin/env bash
# Builds the stand-in base images (images.txt) into the Docker engine at DOCKER_HOST, once per machine:
# an image whose label org.pagefleet.standin.recipe matches its recipe's hash is kept. Docker Hub is not
# reachable here, so each stand-in is built from a Debian bookworm root file system (debootstrap) and the
# registries this machine reaches; ../standins/MANIFEST.md says what each one lacks next to the real image.
#
#   DOCKER_HOST=unix:///path/docker.sock bash deploy/standins/build.sh
#
# Downloads and the `weed` binary are cached in PAGEFLEET_CACHE (default ~/.cache/pagefleet). Builds run
# under `nice -n 10`. Prints one line per image: "standin: TAG built in Ns" or "standin: TAG reused".
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DOCKER="${DOCKER:-docker}"
CACHE="${PAGEFLEET_CACHE:-$HOME/.cache/pagefleet}/standins"
DEBOOTSTRAP_TAG=pagefleet-standin/debootstrap:bookworm   # the root file system; debian/ builds on it
NODE_VERSION=v20.20.2        # the node images' tag; the machine's node must be this exact version
NPM_VERSION=10.8.2           # the npm that Node 20.20.2 bundles (node-slim/Dockerfile installs it)
MAVEN_VERSION=3.9.9
# SeaweedFS publishes no Go module versions; the module proxy serves this pseudo-version (the 4.53
# release's source, the nearest to 4.47 it has: see MANIFEST.md)
WEED_MODULE=github.com/seaweedfs/seaweedfs
WEED_VERSION=v0.0.0-20261109003541-7506e5f91cd6
mkdir -p "$CACHE"

say() { echo "standin: $*" >&2; }
# the recipe hash: every file of its build context, and the image its FROM line names (so a rebuilt
# base rebuilds what stands on it)
recipe_hash() { # context folder
  local from
  from="$(awk 'toupper($1) == "FROM" { print $2; exit }' "$1/Dockerfile")"
  { (cd "$1" && find . -type f | sort | xargs sha256sum)
    "$DOCKER" image inspect -f '{{.Id}}' "$from"; } | sha256sum | cut -c1-16
}
current() { # tag, hash: the image exists with this recipe
  [ "$("$DOCKER" image inspect -f '{{ index .Config.Labels "org.pagefleet.standin.recipe" }}' "$1" 2>/dev/null)" = "$2" ]
}

debootstrap_image() {
  local hash=debootstrap-bookworm-minbase-1
  if current "$DEBOOTSTRAP_TAG" "$hash"; then return; fi
  local t0=$SECONDS root="$CACHE/rootfs.$$"
  say "debootstrap bookworm (minbase) for $DEBOOTSTRAP_TAG"
  rm -rf "$root"
  nice -n 10 debootstrap --variant=minbase bookworm "$root" >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -20 "$CACHE/debootstrap.log" >&2; exit 1; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | "$DOCKER" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' --change "LABEL org.pagefleet.standin.recipe=$hash" - "$DEBOOTSTRAP_TAG" >/dev/null
  rm -rf "$root"
  say "$DEBOOTSTRAP_TAG built in $((SECONDS - t0))s"
}

# files a recipe needs from this machine, put into its build context
prepare_debian() { # the certificate authorities in this machine's trust bundle that Debian does not ship
  mkdir -p "$1/machine-ca"
  python3 - "$1/machine-ca" <<'PYEOF'
import glob, re, sys
pem = lambda text: re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", text, re.S)
debian = {c for f in glob.glob("/usr/share/ca-certificates/**/*.crt", recursive=True) for c in pem(open(f).read())}
extra = [c for c in pem(open("/etc/ssl/certs/ca-certificates.crt").read()) if c not in debian]
for i, c in enumerate(extra):
    open(f"{sys.argv[1]}/machine-{i}.crt", "w").write(c + "\n")
PYEOF
}
prepare_node_slim() {
  local node npm_dir
  node="$(command -v node)"
  [ "$("$node" --version)" = "$NODE_VERSION" ] \
    || { say "the machine's node is $("$node" --version), the node images need $NODE_VERSION"; exit 1; }
  npm_dir="$(npm root -g)/npm"
  cp "$node" "$1/node"
  cp -a "$npm_dir" "$1/npm-bootstrap"
}
prepare_maven() {
  local jar="$CACHE/apache-maven-$MAVEN_VERSION-bin.tar.gz"
  if [ ! -s "$jar" ]; then
    mvn -B -q dependency:copy "-Dartifact=org.apache.maven:apache-maven:$MAVEN_VERSION:tar.gz:bin" \
      "-DoutputDirectory=$CACHE" >&2
  fi
  cp "$jar" "$1/apache-maven.tar.gz"
}
prepare_seaweedfs() {
  local weed="$CACHE/weed-$WEED_VERSION" dir
  if [ ! -x "$weed" ]; then
    say "building weed ($WEED_MODULE@$WEED_VERSION) from the Go module proxy"
    dir="$(GOFLAGS=-mod=mod go mod download -json "$WEED_MODULE@$WEED_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')"
    (cd "$dir" && nice -n 10 env CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
      -ldflags "-s -w -extldflags -static" -o "$weed.tmp" ./weed)
    mv "$weed.tmp" "$weed"
  fi
  cp "$weed" "$1/weed"
}

build_standin() { # tag, recipe folder
  local tag=$1 recipe=$2 hash ctx t0=$SECONDS
  ctx="$(mktemp -d "$CACHE/ctx-$recipe.XXXXXX")"
  cp -a "$HERE/$recipe/." "$ctx/"
  case "$recipe" in
    debian) prepare_debian "$ctx" ;;
    node-slim) prepare_node_slim "$ctx" ;;
    maven) prepare_maven "$ctx" ;;
    seaweedfs) prepare_seaweedfs "$ctx" ;;
  esac
  hash="$(recipe_hash "$ctx")"
  if current "$tag" "$hash"; then rm -rf "$ctx"; say "$tag reused"; return; fi
  # RUN steps reach Debian's packages and the registries through the host network (there is no bridge)
  nice -n 10 "$DOCKER" build -q --force-rm --network host --label "org.pagefleet.standin.recipe=$hash" \
    --label org.pagefleet.standin=1 -t "$tag" "$ctx" >/dev/null || { rm -rf "$ctx"; exit 1; }
  rm -rf "$ctx"
  say "$tag built in $((SECONDS - t0))s"
}

debootstrap_image
build_standin pagefleet-standin/debian:bookworm debian
while read -r tag recipe; do
  case "$tag" in ''|'#'*) continue ;; esac
  build_standin "$tag" "$recipe"
done <"$HERE/images.txt"
