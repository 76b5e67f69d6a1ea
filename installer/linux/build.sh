#!/usr/bin/env bash
# Builds Lifeboat and packages it: an app image by default, a .deb with --deb.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -DskipTests package
exec installer/linux/package.sh "$([ "${1:-}" = "--deb" ] && echo deb || echo app-image)"
