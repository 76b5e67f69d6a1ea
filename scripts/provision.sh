#!/usr/bin/env bash
# Provisions what Lifeboat's tests need on a Debian 12 machine (as root):
# Debian packages, a running dockerd, and the cached fixture images (the database fixture, and a
# bare desktop image that the installer test installs the .deb into).
# Idempotent: every step checks first and does nothing when the thing is already there.
# Writes the PID of a dockerd it started to $LIFEBOAT_DOCKERD_PIDFILE (if set), so the caller can stop it.
set -euo pipefail
cd "$(dirname "$0")/.."

FIXTURE_IMAGE="${LIFEBOAT_FIXTURE_IMAGE:-lifeboat-fixture:bookworm}"
DESKTOP_IMAGE="${LIFEBOAT_DESKTOP_IMAGE:-lifeboat-desktop:bookworm}"
CACHE_DIR="${LIFEBOAT_CACHE_DIR:-/var/cache/lifeboat}"
PACKAGES=(fakeroot dpkg-dev openjdk-17-jdk-headless docker.io docker-compose openssh-server redis-server postgresql xvfb xauth libgtk-3-0 debootstrap pigz zstd openssl poppler-utils)

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

# The fixture: Debian's PostgreSQL 15 and Redis, and what the official postgres image also carries that Lifeboat
# uses when present (zstd: dumps cross into the container compressed, ADR 28). The image's tag carries a hash of
# the package list, so a changed list builds a new one.
fixture_debs=postgresql-15,redis-server,busybox,zstd
fixture_key=$(printf '%s' "$fixture_debs" | sha256sum | cut -c1-12)
if ! docker image inspect "$FIXTURE_IMAGE" --format '{{index .Config.Labels "lifeboat.fixture.key"}}' 2>/dev/null | grep -qx "$fixture_key"; then
  tarball="$CACHE_DIR/fixture-bookworm-$fixture_key.tar"
  if [ ! -s "$tarball" ]; then
    mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    mirror="${mirror:-http://deb.debian.org/debian}"
    root=$(mktemp -d "$CACHE_DIR.rootfs.XXXXXX" 2>/dev/null || { mkdir -p "$(dirname "$CACHE_DIR")"; mktemp -d "$CACHE_DIR.rootfs.XXXXXX"; })
    log "building fixture root filesystem with debootstrap from $mirror"
    debootstrap --variant=minbase --include="$fixture_debs" bookworm "$root" "$mirror" >/dev/null
    mkdir -p "$CACHE_DIR"
    tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$root"
    # a fixture built from another list is not used again
    find "$CACHE_DIR" -maxdepth 1 -name 'fixture-bookworm*.tar' ! -name "fixture-bookworm-$fixture_key.tar" -delete
  fi
  log "importing $FIXTURE_IMAGE"
  docker import --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL lifeboat.fixture.key=$fixture_key" "$tarball" "$FIXTURE_IMAGE" >/dev/null
fi
# The desktop image: a minimal Debian with only Xvfb, and the .debs of the packages the Lifeboat deb
# depends on sitting in apt's cache (not installed). The installer test runs it without a network:
# `apt-get install --no-download ./lifeboat.deb` then proves the deb declares what the console needs.
# The list: what installer/linux/depends declares, plus what jpackage declares from the runtime's
# native libraries. The image's tag carries a hash of the list, so a changed list builds a new one.
desktop_debs=($(grep -v '^#' installer/linux/depends) libasound2 libbrotli1 libbsd0 libfreetype6 libgif7
  libglib2.0-0 libgraphite2-3 libharfbuzz0b libjpeg62-turbo liblcms2-2 libmd0 libpcre2-8-0 libpcsclite1
  libpng16-16 libx11-6 libxau6 libxcb1 libxdmcp6 libxext6 libxi6 libxrender1 xdg-utils)
desktop_key=$(printf '%s\n' "${desktop_debs[@]}" | sort -u | sha256sum | cut -c1-12)
if ! docker image inspect "$DESKTOP_IMAGE" --format '{{index .Config.Labels "lifeboat.desktop.key"}}' 2>/dev/null | grep -qx "$desktop_key"; then
  tarball="$CACHE_DIR/desktop-bookworm-$desktop_key.tar"
  if [ ! -s "$tarball" ]; then
    mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    mirror="${mirror:-http://deb.debian.org/debian}"
    mkdir -p "$CACHE_DIR"
    root=$(mktemp -d "$CACHE_DIR.desktop.XXXXXX")
    log "building the desktop image's root filesystem with debootstrap from $mirror"
    debootstrap --variant=minbase bookworm "$root" "$mirror" >/dev/null
    export DEBIAN_FRONTEND=noninteractive
    aptlog="$CACHE_DIR/desktop-apt.log"
    { chroot "$root" apt-get update -qq &&
      chroot "$root" apt-get install -y -qq --no-install-recommends xvfb xauth &&
      chroot "$root" apt-get clean &&
      chroot "$root" apt-get install -y -qq --no-install-recommends --download-only "${desktop_debs[@]}"; } >"$aptlog" 2>&1 ||
      { log "apt in the desktop root failed:"; tail -20 "$aptlog" >&2; exit 1; }
    tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$root"
  fi
  log "importing $DESKTOP_IMAGE"
  docker import --change "LABEL lifeboat.desktop.key=$desktop_key" "$tarball" "$DESKTOP_IMAGE" >/dev/null
fi
log "ready: packages, dockerd, $FIXTURE_IMAGE, $DESKTOP_IMAGE"
