#!/usr/bin/env bash
# The Zig SDK repository rule must fail with a message naming the archive, the expected and
# the actual sha256 when (1) the archive does not match its pinned checksum and (2) the
# archive matches its pin but is corrupt. A throwaway workspace overrides the archive with
# zig.toolchain(url = "file://...") and fetches @zig_sdk.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
BAZEL="$ROOT/tools/bazel"
work=$(mktemp -d "${TMPDIR:-/tmp}/zig_sdk_errors.XXXXXX")
ws="$work/ws"
cleanup() {
  local ob
  ob=$(cd "$ws" && "$BAZEL" info output_base 2>/dev/null)
  (cd "$ws" && "$BAZEL" shutdown) >/dev/null 2>&1
  # The throwaway workspace's output base (about 1 GB) goes too.
  [[ -n "$ob" && -d "$ob" ]] && chmod -R u+w "$ob" 2>/dev/null && rm -rf "$ob"
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$ws" "$work/files/package"
echo "not zig" >"$work/files/package/README"
tar -C "$work/files" -czf "$work/good.tgz" package
head -c 100 "$work/good.tgz" >"$work/corrupt.tgz"
good_sha=$(sha256sum "$work/good.tgz" | cut -d' ' -f1)
corrupt_sha=$(sha256sum "$work/corrupt.tgz" | cut -d' ' -f1)
wrong_sha=$(printf '0%.0s' {1..64})

cp "$ROOT/.bazelversion" "$ws/"
printf 'common --noenable_workspace\n' >"$ws/.bazelrc"
touch "$ws/BUILD.bazel"

status=0
expect_failure() { # NAME URL SHA256 WANT...
  local name=$1 url=$2 sha=$3
  shift 3
  cat >"$ws/MODULE.bazel" <<MOD
module(name = "zig_sdk_errors")
bazel_dep(name = "rules_go_cross", version = "0.1.0")
local_path_override(module_name = "rules_go_cross", path = "$ROOT")
zig = use_extension("@rules_go_cross//toolchains:extensions.bzl", "zig")
zig.toolchain(url = "$url", sha256 = "$sha", strip_prefix = "package", version = "0.11.0")
use_repo(zig, "zig_sdk")
MOD
  local out
  if out=$(cd "$ws" && "$BAZEL" fetch @zig_sdk//:all 2>&1); then
    echo "FAIL ($name): fetching @zig_sdk succeeded"
    status=1
    return
  fi
  for want in "$@"; do
    if ! grep -qF -- "$want" <<<"$out"; then
      echo "FAIL ($name): the error does not contain: $want"
      status=1
    fi
  done
  grep -A3 'rules_go_cross:' <<<"$out" | head -5
}

expect_failure "checksum mismatch" "file://$work/good.tgz" "$wrong_sha" \
  "checksum mismatch" "$work/good.tgz" "expected sha256 $wrong_sha" "actual   sha256 $good_sha"
expect_failure "corrupt archive" "file://$work/corrupt.tgz" "$corrupt_sha" \
  "is corrupt" "$work/corrupt.tgz" "expected sha256 $corrupt_sha" "actual   sha256 $corrupt_sha"
expect_failure "archive without zig" "file://$work/good.tgz" "$good_sha" \
  "has no zig executable" "$work/good.tgz"
exit $status
