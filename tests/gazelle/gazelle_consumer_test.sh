#!/usr/bin/env bash
# A user's workspace built from BUILD files gazelle writes (issue 11): tests/consumer holds Go
# sources under cmd/ and internal/ with no BUILD file, and a hand-written root BUILD.bazel (a
# gazelle target using @rules_go_cross//:gazelle_binary, and its directives). A copy of it (the
# one tools/test's consumer steps use, under the cache: one output base for all of them) gets
# every other BUILD file from `bazel run //:gazelle`; a second run must change nothing
# (-mode=diff); then `bazel build //...` builds every image index gazelle declared, that is
# every platform the binaries are planned for, and each index must hold one image per expected
# platform.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
BAZEL="$ROOT/tools/bazel"
# shellcheck source=tests/internal/consumer_workspace.sh
source "$ROOT/tests/internal/consumer_workspace.sh"
# shellcheck source=tests/internal/outputs.sh
source "$ROOT/tests/internal/outputs.sh"
Q=(--ui_event_filters=-info --noshow_progress)

fail() {
  echo "FAIL: $*"
  exit 1
}
step() { echo "[$SECONDS s] $*"; }

WORK=$(consumer_workspace "$ROOT") || fail "could not copy tests/consumer"
for d in cmd/hello cmd/adder internal/cadd internal/greet; do
  [[ ! -e "$WORK/$d/BUILD.bazel" ]] || fail "$d/BUILD.bazel exists before gazelle ran: it must be generated"
done
cd "$WORK"

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
  layout=$(bazel_outputs "$WORK" "$1" | head -1)
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
check_index //cmd/adder:adder_index "linux/amd64/glibc linux/amd64/musl "
step "gazelle consumer workspace ok"
