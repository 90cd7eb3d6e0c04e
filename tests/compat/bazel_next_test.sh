#!/usr/bin/env bash
# The behaviour of Bazel 8 and 9, on Bazel 7.7.1: builds with every flag in
# tests/compat/bazel_next_flags.txt (the defaults those releases flip).
#
#   tests/compat/bazel_next_test.sh CONSUMER
#
# 1. This repository: `bazel build //...` (every binary, image and index; the C runtimes).
# 2. CONSUMER, a copy of tests/consumer (a user's workspace through local_path_override) whose
#    BUILD files gazelle has written (tests/gazelle): the pure app for linux_arm64 runs under
#    qemu-aarch64, the cgo app with its C library runs for musl and glibc, and `bazel build
#    //...` builds every image index gazelle declared.
# 3. --incompatible_use_plus_in_repo_names (Bazel 8's canonical names, `rules_go+` for
#    `rules_go~`) is analysed, not built, in both workspaces: it renames every external
#    directory, so every action's key changes and a build would be a cold build of the whole
#    matrix (half an hour on 2 cores). Analysis is where a hard-coded `~` in Starlark would
#    fail; the scripts that run actions use no canonical name. //docs is left out there: it
#    runs stardoc's Java renderer, and the offline Java set-up (Debian's rules_java, whose
#    local JDK answers only to its `~` name) has no JDK under `+` names.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
BAZEL="$ROOT/tools/bazel"
CONSUMER=${1:?usage: bazel_next_test.sh CONSUMER_WORKSPACE}
mapfile -t FLAGS < <(grep -vE '^[[:space:]]*(#|$)' "$ROOT/tests/compat/bazel_next_flags.txt")
((${#FLAGS[@]} >= 9)) || {
  echo "FAIL: tests/compat/bazel_next_flags.txt holds ${#FLAGS[@]} flags, expected at least 9"
  exit 1
}
Q=(--ui_event_filters=-info --noshow_progress)
status=0
fail() {
  echo "FAIL: $*"
  status=1
}
echo "flags: ${FLAGS[*]}"

# run_app DIR PLATFORM TARGET BINARY WANT [RUNNER]: builds TARGET for PLATFORM with the flags,
# runs BINARY (under RUNNER) and compares its output with WANT.
run_app() {
  local dir=$1 platform=$2 target=$3 binary=$4 want=$5 runner=${6:-} out
  (cd "$dir" && "$BAZEL" build "${Q[@]}" "${FLAGS[@]}" --platforms="$platform" "$target") ||
    { fail "$target does not build for $platform with the Bazel 8/9 flags"; return; }
  out=$(cd "$dir" && $runner "$binary") || { fail "$binary ($platform) does not run"; return; }
  [[ "$out" == "$want" ]] || { fail "$binary ($platform) printed '$out', want '$want'"; return; }
  echo "ok: $target for ${platform##*:} runs: $out"
}

echo "--- 1. this repository: bazel build //..."
(cd "$ROOT" && "$BAZEL" build "${Q[@]}" "${FLAGS[@]}" //...) && echo "ok: //... builds" ||
  fail "bazel build //... with the Bazel 8/9 flags"

echo "--- 2. a user's workspace ($CONSUMER)"
run_app "$CONSUMER" @rules_go_cross//platforms:linux_arm64 //app bazel-bin/app/app_/app \
  "consumer app on linux/arm64" qemu-aarch64
for libc in musl glibc; do
  run_app "$CONSUMER" "@rules_go_cross//platforms:linux_amd64_$libc" //cgoapp bazel-bin/cgoapp/cgoapp_/cgoapp \
    "C says hello to consumer (libc $libc) on linux/amd64"
done
(cd "$CONSUMER" && "$BAZEL" build "${Q[@]}" "${FLAGS[@]}" //...) && echo "ok: the consumer's //... (gazelle's images) builds" ||
  fail "bazel build //... in the consumer workspace with the Bazel 8/9 flags"

echo "--- 3. --incompatible_use_plus_in_repo_names: analysis of both workspaces"
(cd "$ROOT" && "$BAZEL" build "${Q[@]}" --nobuild "${FLAGS[@]}" --incompatible_use_plus_in_repo_names -- //... -//docs/...) &&
  echo "ok: this repository analyses with + names" || fail "this repository does not analyse with + names"
(cd "$CONSUMER" && "$BAZEL" build "${Q[@]}" --nobuild "${FLAGS[@]}" --incompatible_use_plus_in_repo_names //...) &&
  echo "ok: the consumer analyses with + names" || fail "the consumer workspace does not analyse with + names"
exit $status
