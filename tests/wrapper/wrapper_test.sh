#!/usr/bin/env bash
# Tests of tools/bazel's own error messages (run by tools/test).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT"
fail=0

expect_error() { # expect_error DESCRIPTION PATTERN CMD...
  local desc=$1 pattern=$2
  shift 2
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [[ $rc -eq 0 ]]; then
    echo "FAIL: $desc: exited 0"
    fail=1
  elif ! grep -qE "$pattern" <<<"$out"; then
    echo "FAIL: $desc: output does not match /$pattern/:"
    echo "$out"
    fail=1
  elif [[ $(wc -l <<<"$out") -ne 1 ]]; then
    echo "FAIL: $desc: want a one-line error, got:"
    echo "$out"
    fail=1
  else
    echo "ok: $desc: $out"
  fi
}

expect_error "unknown platform" \
  "unknown platform 'linux_arm64_mus'.*linux_arm64_musl" \
  tools/bazel build --platforms=//platforms:linux_arm64_mus //examples/hello
expect_error "unknown platform, @rules_go_cross spelling" \
  "unknown platform 'linux_riscv64'.*rules_go_cross defines" \
  tools/bazel build --platforms @rules_go_cross//platforms:linux_riscv64 //examples/hello
if command -v setpriv >/dev/null; then
  expect_error "not root" \
    "needs root.*run as root, or install Bazel" \
    setpriv --reuid=65534 --regid=65534 --clear-groups env BAZEL_REAL= tools/bazel version
fi
# Files that Bazel's flags name land on the host, wherever they are (the server runs in a root
# that sees only what tools/bazel mounts).
out=$(mktemp -d /var/tmp/rules_go_cross-wrapper.XXXXXX)
log=$(mktemp)
rc=0
tools/bazel build --ui_event_filters=-info --noshow_progress --execution_log_json_file="$out/log/exec.json" \
  --profile="$out/profile/p.json" --disk_cache="$out/disk" //platforms:all >"$log" 2>&1 || rc=$?
if [[ $rc -ne 0 ]]; then
  echo "FAIL: the build with --execution_log_json_file, --profile and --disk_cache under $out exited $rc:"
  tail -20 "$log"
  fail=1
elif [[ -e "$out/log/exec.json" && -s "$out/profile/p.json" && -d "$out/disk" ]]; then
  # (The log and the cache may stay empty: every action can be up to date already.)
  echo "ok: --execution_log_json_file, --profile and --disk_cache outside the workspace are written on the host"
else
  echo "FAIL: --execution_log_json_file, --profile or --disk_cache under $out did not reach the host (want log/exec.json, a non-empty profile/p.json and disk/):"
  ls -lR "$out"
  fail=1
fi
rm -rf "$out" "$log"
exit $fail
