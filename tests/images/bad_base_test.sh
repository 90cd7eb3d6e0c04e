#!/usr/bin/env bash
# A glibc-dynamic binary on the static base must fail `bazel build` with the link-mode
# verifier's message (what is missing and what to do), and leave no image behind.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT"
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
layout=$(tools/bazel cquery --ui_event_filters=-info --noshow_progress --output=files //tests/images/bad:glibc_on_static 2>/dev/null | head -1)
if [[ -z "$layout" ]]; then
  echo "FAIL: cquery does not name the image's output"
  status=1
elif [[ -n "$(ls -A "$layout" 2>/dev/null)" ]]; then
  echo "FAIL: a half-written image layout was left in $layout"
  status=1
fi
grep -E 'cannot start' "$log" | head -5
exit $status
