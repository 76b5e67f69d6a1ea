#!/usr/bin/env bash
# Copies what the last test run wrote under target/ into the docs: the console's screenshots
# (target/screenshots -> docs/screenshots) and the example reports (target/reports -> docs/reports).
# Tests never write into docs/ themselves, so a test run leaves the work tree as it found it; run this
# after `scripts/test.sh` when the screenshots or reports should change, and commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
copied=0
for pair in "target/screenshots:docs/screenshots" "target/reports:docs/reports"; do
  from=${pair%%:*}
  to=${pair#*:}
  if [ -d "$from" ]; then
    mkdir -p "$to"
    for f in "$from"/*; do
      [ -f "$f" ] || continue
      cp -p "$f" "$to/"
      copied=$((copied + 1))
    done
  fi
done
if [ "$copied" -eq 0 ]; then
  echo "nothing to copy: run scripts/test.sh first (it writes target/screenshots and target/reports)" >&2
  exit 1
fi
echo "copied $copied files into docs/; review with git status and git diff --stat" >&2
