#!/usr/bin/env bash
# A user's workspace built from BUILD files gazelle writes (issue 11): tests/gazelle/workspace
# holds Go sources, a go.mod and one hand-written BUILD.bazel (a gazelle target using
# @rules_go_cross//:gazelle_binary). A copy of it (in WORK, default under the cache so that the
# next run is warm) gets every other BUILD file from `bazel run //:gazelle`; a second run must
# change nothing (-mode=diff); then `bazel build //...` builds every image index gazelle
# declared, that is every platform the binaries are planned for, and each index must hold one
# image per expected platform.
#   usage: tests/gazelle/gazelle_consumer_test.sh [WORK]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
BAZEL="$ROOT/tools/bazel"
CACHE=${RULES_GO_CROSS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rules_go_cross}
WORK=${1:-$CACHE/gazelle-consumer/$(printf '%s' "$ROOT" | md5sum | cut -c1-12)}
Q=(--ui_event_filters=-info --noshow_progress)

fail() {
  echo "FAIL: $*"
  exit 1
}
step() { echo "[$SECONDS s] $*"; }

# A fresh copy of the sources (bazel-* links kept, so the output base stays the same), with
# local_path_override pointing at this clone.
mkdir -p "$WORK"
find "$WORK" -mindepth 1 -maxdepth 1 ! -name 'bazel-*' -exec rm -rf {} +
cp -R "$ROOT/tests/gazelle/workspace/." "$WORK/"
sed -i "s|path = \"../../..\"|path = \"$ROOT\"|" "$WORK/MODULE.bazel"
grep -q "path = \"$ROOT\"" "$WORK/MODULE.bazel" || fail "could not point local_path_override at $ROOT"
cd "$WORK"
trap '"$BAZEL" shutdown >/dev/null 2>&1 || true' EXIT

step "bazel run //:gazelle in $WORK"
"$BAZEL" run "${Q[@]}" //:gazelle
built=$(find . -name BUILD.bazel ! -path ./BUILD.bazel ! -path './bazel-*' | sort)
echo "gazelle wrote:" $built
for want in ./cmd/hello/BUILD.bazel ./cmd/adder/BUILD.bazel ./internal/cadd/BUILD.bazel ./internal/greet/BUILD.bazel; do
  grep -qx "$want" <<<"$built" || fail "gazelle wrote no $want"
done

step "gazelle again, -mode=diff"
diff=$("$BAZEL" run "${Q[@]}" //:gazelle -- -mode=diff 2>&1) || fail "a second gazelle run would change BUILD files:
$diff"

step "bazel build //..."
"$BAZEL" build "${Q[@]}" //...
step "checking the indexes"

# "os/architecture/libc" of every image in an index (the layout's index.json points at the image
# index blob), sorted.
platforms_of() {
  local layout digest
  layout=$("$BAZEL" cquery "${Q[@]}" --output=files "$1" 2>/dev/null | head -1)
  [[ -f "$layout/index.json" ]] || fail "no index layout for $1 (cquery says '$layout')"
  digest=$(jq -r '.manifests[0].digest' "$layout/index.json")
  jq -r '.manifests[] | "\(.platform.os)/\(.platform.architecture)/\(.annotations["io.rules_go_cross.libc"])"' \
    "$layout/blobs/${digest%%:*}/${digest#*:}" | sort | tr '\n' ' '
}
check_index() {
  local target=$1 want=$2 got
  got=$(platforms_of "$target")
  [[ "$got" == "$want" ]] || fail "$target holds images for $got, want $want"
  echo "$target: $got"
}
check_index //cmd/hello:hello_index "linux/amd64/none linux/arm64/none "
check_index //cmd/adder:adder_index "linux/amd64/glibc linux/amd64/musl linux/arm64/glibc linux/arm64/musl "
step "gazelle consumer workspace ok"
