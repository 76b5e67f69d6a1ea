#!/usr/bin/env bash
# Packages an already built Lifeboat (target/lifeboat.jar and target/lib/) with jpackage.
#   installer/linux/package.sh [app-image|deb] [OUT_DIR]
# The deb declares the Debian packages JavaFX loads at run time (jpackage cannot see them; see
# installer/linux/depends), installs a desktop entry with the icon, and puts the launcher at
# /opt/lifeboat/bin/lifeboat. The version is the pom's, without -SNAPSHOT.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
type="${1:-app-image}"
out="${2:-$root/target/installer}"
[ -f "$root/target/lifeboat.jar" ] || { echo "package.sh: build first (./mvnw -DskipTests package)" >&2; exit 2; }
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -1 | sed 's/-SNAPSHOT//')
rm -rf "$out" && mkdir -p "$out/input"
cp "$root/target/lifeboat.jar" "$root"/target/lib/*.jar "$out/input/"
extra=()
if [ "$type" = deb ]; then
  extra=(--linux-package-deps "$(grep -v '^#' "$here/depends" | paste -sd, | sed 's/,/, /g')"
         --linux-app-category admin --linux-shortcut --linux-menu-group "System"
         --linux-deb-maintainer "lifeboat@localhost" --icon "$root/assets/icon/lifeboat-256.png"
         --resource-dir "$here/resources")
fi
jpackage --type "$type" --name lifeboat --app-version "$version" \
  --vendor "Lifeboat" --description "Backup and disaster recovery console for Docker hosts" \
  --input "$out/input" --main-jar lifeboat.jar --main-class dev.lifeboat.Lifeboat \
  --java-options "-Xmx512m" --dest "$out" "${extra[@]}"
rm -rf "$out/input"
echo "built $type in $out"
