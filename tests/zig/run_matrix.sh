#!/usr/bin/env bash
# Runs every binary of //tests/zig:matrix (8 C programs x 4 cgo platforms): amd64 natively, arm64
# under qemu-aarch64, arm64 glibc with qemu-aarch64 -L an arm64 libc6 root. Each must print
# "hello from C <i>, 14 bytes".
# Usage (the sh_test's args): run_matrix.sh LIBC6_ARM64_DEB <platform>/hello_c_<i>...
set -uo pipefail
deb=$1
shift
arm64_root=$(mktemp -d)
trap 'rm -rf "$arm64_root"' EXIT
dpkg-deb -x "$deb" "$arm64_root" || { echo "FAIL: cannot unpack $deb"; exit 1; }
status=0
n=0
for bin in "$@"; do
  platform=$(basename "$(dirname "$bin")")
  i=${bin##*_}
  case $platform in
    *amd64*) run=("$bin") ;;
    *arm64_glibc) run=(qemu-aarch64 -L "$arm64_root" "$bin") ;;
    *arm64*) run=(qemu-aarch64 "$bin") ;;
    *) echo "FAIL: unknown platform directory $platform"; exit 1 ;;
  esac
  got=$("${run[@]}" 2>&1)
  want="hello from C $i, 14 bytes"
  if [[ "$got" != "$want" ]]; then
    echo "FAIL: $platform/hello_c_$i printed '$got', want '$want'"
    status=1
  fi
  n=$((n + 1))
done
echo "$n binaries ran"
[[ $n -eq 32 ]] || { echo "FAIL: want 32 binaries (8 programs x 4 platforms), found $n"; status=1; }
exit $status
