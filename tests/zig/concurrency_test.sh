#!/usr/bin/env bash
# Concurrent zig processes sharing one Zig cache must not corrupt it (hermetic_cc_toolchain's
# #224): build //tests/zig:matrix (8 C programs × 4 cgo platforms) with --jobs above the core
# count and an empty Zig cache, then run all 32 binaries (amd64 natively, arm64 under
# qemu-aarch64, glibc arm64 with an arm64 libc6 root) and check what each prints.
# Also prints the cold cost of the matrix (Zig compiling its libc pieces for four targets).
#
# MATRIX=matrix_glibc narrows it to the two glibc targets (tools/test does, since a cold musl
# target, for which Zig builds all of musl's libc.a, costs minutes on 2 cores); bench/run
# builds the whole matrix.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT"
BAZEL="$ROOT/tools/bazel"
cache=$(mktemp -d "/tmp/rules_go_cross/zig-cache-concurrency.XXXXXX" 2>/dev/null || { mkdir -p /tmp/rules_go_cross && mktemp -d "/tmp/rules_go_cross/zig-cache-concurrency.XXXXXX"; })
trap 'rm -rf "$cache"' EXIT
jobs=$(($(nproc) * 4))
matrix=${MATRIX:-matrix}
start=$(date +%s)
# A new zig_cache_dir changes the toolchain's configuration, so every C action runs again
# (nothing from Bazel's caches), all against the empty Zig cache.
if ! "$BAZEL" build --jobs="$jobs" --disk_cache= --noremote_accept_cached \
  --//toolchains:zig_cache_dir="$cache" "//tests/zig:$matrix" 2>&1 | tail -3; then
  echo "FAIL: the matrix did not build with --jobs=$jobs and a cold Zig cache"
  exit 1
fi
echo "cold Zig cache, --jobs=$jobs: //tests/zig:$matrix (8 C programs per target) built in $(($(date +%s) - start)) s"

out_dir=$("$BAZEL" cquery --output=files --//toolchains:zig_cache_dir="$cache" "//tests/zig:$matrix" 2>/dev/null | head -1)
out_dir=${out_dir%/*/*}
arm64_root=$(mktemp -d)
trap 'rm -rf "$cache" "$arm64_root"' EXIT
deb=$(ls "$("$BAZEL" info output_base 2>/dev/null)"/external/_main~distroless~rules_go_cross_bases__libc6__arm64/file/*.deb)
dpkg-deb -x "$deb" "$arm64_root"
ln -sfn usr/lib "$arm64_root/lib" # Debian 13's libc6 is under /usr; base-files has /lib -> usr/lib

status=0
n=0
for platform in $(ls "$out_dir"); do
  for i in 0 1 2 3 4 5 6 7; do
    bin="$out_dir/$platform/hello_c_$i"
    case $platform in
      *amd64*) run=("$bin") ;;
      *arm64_glibc) run=(qemu-aarch64 -L "$arm64_root" "$bin") ;;
      *arm64*) run=(qemu-aarch64 "$bin") ;;
    esac
    got=$("${run[@]}" 2>&1)
    want="hello from C $i, 14 bytes"
    if [[ "$got" != "$want" ]]; then
      echo "FAIL: $platform/hello_c_$i printed '$got', want '$want'"
      status=1
    fi
    n=$((n + 1))
  done
done
echo "$n binaries ran, status $status"
exit $status
