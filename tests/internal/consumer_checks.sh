#!/usr/bin/env bash
# tests/internal/consumer_checks.sh WORKSPACE CHECK: one check of tools/test section 5 in WORKSPACE,
# a copy of tests/consumer made by consumer_workspace (tests/internal/consumer_workspace.sh).
# CHECK is one of:
#   app_arm64           the pure app builds for linux_arm64 and runs under qemu-aarch64
#   cgoapp_musl         the cgo app (a cc_library in cdeps) builds for linux_amd64_musl and runs
#   cgoapp_glibc        the same for linux_amd64_glibc
#   dbapp_image         go_image of a binary with go-sqlite3 for pure linux_amd64 fails, naming
#                       the package and the cgo platforms
#   dbapp_no_cgo_stubs  with the no_cgo_stubs aspect, the plain go_binary for pure linux_arm64
#                       fails the same way
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
BAZEL="$ROOT/tools/bazel"
CONSUMER=${1:-}
[[ $# -eq 2 ]] || {
  echo "usage: $0 WORKSPACE app_arm64|cgoapp_musl|cgoapp_glibc|dbapp_image|dbapp_no_cgo_stubs" >&2
  exit 2
}

consumer() {
  [[ -n "$CONSUMER" ]] && (cd "$CONSUMER" &&
    "$BAZEL" build --platforms=@rules_go_cross//platforms:linux_arm64 //app &&
    out=$(qemu-aarch64 bazel-bin/app/app_/app) &&
    echo "$out" &&
    [[ "$out" == "consumer app on linux/arm64" ]])
}

consumer_cgo() { # consumer_cgo LIBC: the cgo app with a cc_library in cdeps, built for linux_amd64_LIBC
  local libc=$1 out
  [[ -n "$CONSUMER" ]] && (cd "$CONSUMER" &&
    "$BAZEL" build --platforms="@rules_go_cross//platforms:linux_amd64_$libc" //cgoapp &&
    out=$(bazel-bin/cgoapp/cgoapp_/cgoapp) &&
    echo "$out" &&
    [[ "$out" == "C says hello to consumer (libc $libc) on linux/amd64" ]])
}

consumer_stub() { # consumer_stub WHAT PLATFORM TARGET [FLAGS...]: must fail naming go-sqlite3 and the cgo platforms
  local what=$1 platform=$2 target=$3 arch log status=0
  shift 3
  arch=${platform#linux_}
  log=$(mktemp)
  [[ -n "$CONSUMER" ]] || return 1
  if (cd "$CONSUMER" && "$BAZEL" build "$@" --platforms="@rules_go_cross//platforms:$platform" "$target") >"$log" 2>&1; then
    echo "FAIL: $target built for $platform, but go-sqlite3 was compiled as its cgo stub"
    status=1
  fi
  for want in \
    "$what: @@//dbapp:dbapp imports github.com/mattn/go-sqlite3, which has C sources" \
    "was compiled with cgo off ($platform); build for linux_${arch}_musl or linux_${arch}_glibc" \
    "--@rules_go_cross//go:cgo_pure_fallback=github.com/mattn/go-sqlite3"; do
    grep -qF -- "$want" "$log" || { echo "FAIL: the error does not say: $want"; status=1; }
  done
  grep -F "imports github.com/mattn/go-sqlite3" "$log" | head -1
  rm -f "$log"
  return "$status"
}

case $2 in
  app_arm64) consumer ;;
  cgoapp_musl) consumer_cgo musl ;;
  cgoapp_glibc) consumer_cgo glibc ;;
  dbapp_image) consumer_stub "go_image @@//dbapp:image" linux_amd64 //dbapp:image ;;
  dbapp_no_cgo_stubs)
    consumer_stub "go_binary (no_cgo_stubs)" linux_arm64 //dbapp \
      --aspects=@rules_go_cross//go:defs.bzl%no_cgo_stubs --output_groups=+no_cgo_stubs
    ;;
  *)
    echo "$0: unknown check '$2'; use app_arm64, cgoapp_musl, cgoapp_glibc, dbapp_image or dbapp_no_cgo_stubs" >&2
    exit 2
    ;;
esac
