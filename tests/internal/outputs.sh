# Sourced by test and benchmark scripts (not run on its own).
#
# bazel_outputs DIR ARGS...: the output files, as absolute paths, of the targets in ARGS (labels
# and cquery flags such as --platforms=...) as built in the workspace DIR, with that
# workspace's tools/bazel (or $BAZEL). bazel-bin follows the last build's platform, so scripts
# ask cquery instead.
bazel_outputs() {
  local dir=$1
  shift
  (cd "$dir" && "${BAZEL:-$dir/tools/bazel}" cquery --ui_event_filters=-info --noshow_progress --output=files "$@" 2>/dev/null) |
    sed "s|^|$dir/|"
}
