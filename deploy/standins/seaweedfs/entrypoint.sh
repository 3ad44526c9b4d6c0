#!/bin/sh
# The stand-in's entrypoint, written for these tests (not the real image's script): as root it gives
# /data to the seaweed user and runs itself again as that user; `mini` gets -dir=/data unless a -dir is
# passed; any other first argument runs `weed` with the arguments as given.
set -eu
if [ "$(id -u)" = 0 ]; then
  [ "$(stat -c %u /data)" = "$(id -u seaweed)" ] || chown -R seaweed:seaweed /data
  exec setpriv --reuid=seaweed --regid=seaweed --init-groups "$0" "$@"
fi
if [ "${1:-}" = mini ]; then
  shift
  case " $* " in
    *" -dir="* | *" --dir="* | *" -dir "* | *" --dir "*) exec /usr/bin/weed -logtostderr=true mini "$@" ;;
    *) exec /usr/bin/weed -logtostderr=true mini -dir=/data "$@" ;;
  esac
fi
exec /usr/bin/weed "$@"
