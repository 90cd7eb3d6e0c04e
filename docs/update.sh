#!/usr/bin/env bash
# docs/update.sh: writes the API docs stardoc rendered into docs/ of the source tree.
#   tools/bazel run //docs:update
# Arguments: GENERATED DEST pairs (DEST relative to the workspace).
set -euo pipefail
if [[ -z "${BUILD_WORKSPACE_DIRECTORY:-}" ]]; then
  echo "docs/update.sh: run it with bazel run //docs:update (it writes into the workspace)" >&2
  exit 2
fi
if (($# % 2)); then
  echo "docs/update.sh: want GENERATED DEST pairs, got $# arguments" >&2
  exit 2
fi
while (($#)); do
  src=$1 dest=$2
  shift 2
  [[ -f "$src" ]] || { echo "docs/update.sh: $src was not built" >&2; exit 1; }
  out="$BUILD_WORKSPACE_DIRECTORY/$dest"
  if cmp -s "$src" "$out"; then
    echo "unchanged: $dest"
  else
    install -m 644 "$src" "$out"
    echo "updated:   $dest"
  fi
done
