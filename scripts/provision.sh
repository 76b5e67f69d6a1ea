#!/usr/bin/env bash
# Provisions what Lifeboat's tests need on a Debian 12 machine (as root):
# Debian packages, a running dockerd, and the cached fixture image.
# Idempotent: every step checks first and does nothing when the thing is already there.
# Writes the PID of a dockerd it started to $LIFEBOAT_DOCKERD_PIDFILE (if set), so the caller can stop it.
set -euo pipefail

FIXTURE_IMAGE="${LIFEBOAT_FIXTURE_IMAGE:-lifeboat-fixture:bookworm}"
CACHE_DIR="${LIFEBOAT_CACHE_DIR:-/var/cache/lifeboat}"
PACKAGES=(openjdk-17-jdk-headless docker.io docker-compose openssh-server redis-server postgresql xvfb xauth libgtk-3-0 debootstrap pigz zstd openssl poppler-utils)

log() { printf '[provision] %s\n' "$*" >&2; }

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# s3rver: a second S3 protocol server for the interoperability tests, from the npm registry.
if ! command -v s3rver >/dev/null 2>&1; then
  if ! command -v npm >/dev/null 2>&1; then
    log "installing Debian packages: nodejs npm (for s3rver)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq nodejs npm >/dev/null
  fi
  log "installing s3rver with npm"
  npm install -g --no-audit --no-fund s3rver@3.7.1 >/dev/null
fi

# The docker CLI may come from elsewhere on PATH; dockerd comes from docker.io.
if ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  log "no Docker engine answers; starting dockerd"
  mkdir -p /var/log
  nohup /usr/sbin/dockerd --host unix:///var/run/docker.sock >/var/log/lifeboat-dockerd.log 2>&1 &
  pid=$!
  [ -n "${LIFEBOAT_DOCKERD_PIDFILE:-}" ] && echo "$pid" >"$LIFEBOAT_DOCKERD_PIDFILE"
  for _ in $(seq 1 60); do
    docker version --format '{{.Server.Version}}' >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { log "dockerd exited; see /var/log/lifeboat-dockerd.log"; tail -20 /var/log/lifeboat-dockerd.log >&2; exit 1; }
    sleep 1
  done
  docker version --format 'dockerd {{.Server.Version}} is up' >&2
fi

if ! docker image inspect "$FIXTURE_IMAGE" >/dev/null 2>&1; then
  tarball="$CACHE_DIR/fixture-bookworm.tar"
  if [ ! -s "$tarball" ]; then
    mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    mirror="${mirror:-http://deb.debian.org/debian}"
    root=$(mktemp -d "$CACHE_DIR.rootfs.XXXXXX" 2>/dev/null || { mkdir -p "$(dirname "$CACHE_DIR")"; mktemp -d "$CACHE_DIR.rootfs.XXXXXX"; })
    log "building fixture root filesystem with debootstrap from $mirror"
    debootstrap --variant=minbase --include=postgresql-15,redis-server,busybox bookworm "$root" "$mirror" >/dev/null
    mkdir -p "$CACHE_DIR"
    tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$root"
  fi
  log "importing $FIXTURE_IMAGE"
  docker import --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "$tarball" "$FIXTURE_IMAGE" >/dev/null
fi
log "ready: packages, dockerd, $FIXTURE_IMAGE"
