#!/usr/bin/env bash
# The one test command (README): provisions what is missing on a Debian 12 machine (as root),
# then runs every test with `mvn -B verify` (unit tests, then integration tests against real
# dockerd, PostgreSQL, Redis). A dockerd this script started is stopped again, by PID, at exit.
set -euo pipefail
cd "$(dirname "$0")/.."

pidfile=$(mktemp)
cleanup() {
  if [ -s "$pidfile" ]; then
    pid=$(cat "$pidfile")
    echo "[test] stopping the dockerd this run started (pid $pid)" >&2
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  fi
  rm -f "$pidfile"
}
trap cleanup EXIT

LIFEBOAT_DOCKERD_PIDFILE="$pidfile" scripts/provision.sh
./mvnw -B verify "$@"
