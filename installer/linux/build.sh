#!/usr/bin/env bash
# Builds a self-contained Linux app image (and, with --deb, a .deb) of Lifeboat with jpackage.
# The version comes from the pom; the upgrade identity is fixed so packages upgrade in place.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -DskipTests package
version=$(./mvnw -B -q help:evaluate -Dexpression=project.version -DforceStdout | sed 's/-SNAPSHOT//')
out=target/installer
rm -rf "$out" && mkdir -p "$out/input"
cp target/lifeboat.jar target/lib/*.jar "$out/input/"
type=app-image
[ "${1:-}" = "--deb" ] && type=deb
jpackage --type "$type" --name lifeboat --app-version "$version" \
  --vendor "Lifeboat" --description "Backup and disaster recovery console for Docker hosts" \
  --input "$out/input" --main-jar lifeboat.jar --main-class dev.lifeboat.Lifeboat \
  --java-options "-Xmx512m" --dest "$out" \
  $( [ "$type" = deb ] && echo "--linux-package-deps libgtk-3-0 --linux-app-category admin --linux-shortcut" )
echo "built $type in $out"
