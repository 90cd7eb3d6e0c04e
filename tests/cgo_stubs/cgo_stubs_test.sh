#!/usr/bin/env bash
# No silent stubs, built for real: //tests/cgo_stubs/app imports cstub (C code and a pure-Go
# stub). With cgo off, its image, its platform binary and (through .bazelrc's no_cgo_stubs line)
# the plain go_binary must fail, naming the package, the platform and the cgo platforms, and leave
# no image behind; with cstub let through by cgo_pure_fallback, the image builds.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT"
# shellcheck source=tests/internal/outputs.sh
source "$ROOT/tests/internal/outputs.sh"
PKG=github.com/rules-go-cross/rules_go_cross/tests/cgo_stubs/cstub
WHY='which has C sources (uses cgo (import "C" in real.go) and has C/C++ sources (answer.c)) and was compiled with cgo off'
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

refused() { # refused WHO PLATFORM ARCH TARGET...: the build must fail with the message
  local who=$1 platform=$2 arch=$3 want
  shift 3
  if tools/bazel build --platforms="//platforms:$platform" "$@" >"$log" 2>&1; then
    echo "FAIL: $* built for $platform, but $PKG was compiled as its stub"
    status=1
    return
  fi
  for want in \
    "$who: @@//tests/cgo_stubs/app:app imports $PKG, $WHY ($platform); build for linux_${arch}_musl or linux_${arch}_glibc" \
    "--@rules_go_cross//go:cgo_pure_fallback=$PKG" \
    "$PKG: @@//tests/cgo_stubs/cstub:cstub"; do
    grep -qF -- "$want" "$log" || { echo "FAIL: building $* for $platform: the error does not say: $want"; status=1; }
  done
  grep -F "imports $PKG" "$log" | head -1
}

# An image of an earlier run (the fallback build below writes one) goes first, so that what is
# there afterwards was written by this build.
layout=$(BAZEL=tools/bazel bazel_outputs "$ROOT" --platforms=//platforms:linux_amd64 //tests/cgo_stubs:image | head -1)
[[ -n "$layout" ]] || { echo "FAIL: cquery does not name the image's output"; status=1; }
if [[ -n "$layout" && -e "$layout" ]]; then chmod -R u+w "$layout" && rm -rf "$layout"; fi
refused "go_image @@//tests/cgo_stubs:image" linux_amd64 amd64 //tests/cgo_stubs:image
if [[ -n "$layout" && -n "$(ls -A "$layout" 2>/dev/null)" ]]; then
  echo "FAIL: the refused image was written to $layout"
  status=1
fi
refused "go_platform_binaries @@//tests/cgo_stubs:binaries_linux_arm64" linux_arm64 arm64 //tests/cgo_stubs:binaries_linux_arm64
refused "go_binary (no_cgo_stubs)" linux_arm64 arm64 //tests/cgo_stubs/app

# A package that really works without cgo is let through by one setting.
if ! tools/bazel build --platforms=//platforms:linux_amd64 "--//go:cgo_pure_fallback=$PKG" //tests/cgo_stubs:image >"$log" 2>&1; then
  echo "FAIL: with --//go:cgo_pure_fallback=$PKG the image should build:"
  tail -20 "$log"
  status=1
fi

# The fixture is real cgo: built for musl, the binary runs cstub's C code.
if tools/bazel build --platforms=//platforms:linux_amd64_musl //tests/cgo_stubs/app >"$log" 2>&1; then
  bin=$(BAZEL=tools/bazel bazel_outputs "$ROOT" --platforms=//platforms:linux_amd64_musl //tests/cgo_stubs/app | head -1)
  out=$("$bin")
  [[ "$out" == "built with cgo: C answers" ]] || { echo "FAIL: the musl build printed: $out"; status=1; }
else
  echo "FAIL: //tests/cgo_stubs/app does not build for linux_amd64_musl:"
  tail -20 "$log"
  status=1
fi
exit $status
