# Sourced by tools/test and tests/gazelle (not run on its own).
#
# consumer_workspace ROOT: makes a fresh copy of tests/consumer (a user's workspace depending on
# rules_go_cross through local_path_override) with the override pointing at the checkout ROOT,
# and prints its path. The copy's path depends only on ROOT and lives under the cache, outside
# the clone, so every step that uses it, and the next run, share one output base; the bazel-*
# links of the previous copy are kept.
consumer_workspace() {
  local root=$1 cache ws
  cache=${RULES_GO_CROSS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rules_go_cross}
  ws="$cache/consumer/$(printf '%s' "$root" | md5sum | cut -c1-12)"
  mkdir -p "$ws" || return 1
  find "$ws" -mindepth 1 -maxdepth 1 ! -name 'bazel-*' -exec rm -rf {} + || return 1
  (cd "$root/tests/consumer" && find . -mindepth 1 -maxdepth 1 ! -name 'bazel-*' ! -name MODULE.bazel.lock -exec cp -R {} "$ws/" \;) || return 1
  sed -i "s|path = \"../..\"|path = \"$root\"|" "$ws/MODULE.bazel"
  grep -q "path = \"$root\"" "$ws/MODULE.bazel" || {
    echo "consumer_workspace: could not point local_path_override at $root" >&2
    return 1
  }
  echo "$ws"
}
