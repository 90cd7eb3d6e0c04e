#!/usr/bin/env bash
# A glibc-dynamic binary on the static base must fail `bazel build` with the link-mode
# verifier's message (what is missing and what to do), and leave no image behind.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT"
# shellcheck source=tests/internal/outputs.sh
source "$ROOT/tests/internal/outputs.sh"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if tools/bazel build //tests/images/bad:glibc_on_static >"$log" 2>&1; then
  echo "FAIL: //tests/images/bad:glibc_on_static built, but its binary cannot start on the static base"
  exit 1
fi
status=0
for want in \
  "/lib64/ld-linux-x86-64.so.2" \
  "no such file or directory" \
  "glibc"; do
  if ! grep -qF -- "$want" "$log"; then
    echo "FAIL: the build error does not mention: $want"
    status=1
  fi
done
layout=$(BAZEL=tools/bazel bazel_outputs "$ROOT" //tests/images/bad:glibc_on_static | head -1)
if [[ -z "$layout" ]]; then
  echo "FAIL: cquery does not name the image's output"
  status=1
elif [[ -n "$(ls -A "$layout" 2>/dev/null)" ]]; then
  echo "FAIL: a half-written image layout was left in $layout"
  status=1
fi
grep -E 'cannot start' "$log" | head -5
exit $status
