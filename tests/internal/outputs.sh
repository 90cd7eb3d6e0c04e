# Sourced by test and benchmark scripts (not run on its own).
#
# bazel_outputs DIR ARGS...: the output files, as absolute paths, of the targets in ARGS (labels
# and cquery flags such as --platforms=...) as built in the workspace DIR, with that
# workspace's tools/bazel (or $BAZEL). bazel-bin follows the last build's platform, so scripts
# ask cquery instead. Bazel 7's cquery also lists the target as configured for the execution
# platform when an earlier build in the same server used it as a tool (imagetool, linkmode):
# those copies are left out.
bazel_outputs() {
  local dir=$1
  shift
  (cd "$dir" && "${BAZEL:-$dir/tools/bazel}" cquery --ui_event_filters=-info --noshow_progress --output=files "$@" 2>/dev/null) |
    grep -vE '^bazel-out/[^/]*-exec(-ST-[0-9a-f]+)?/' | sed "s|^|$dir/|"
}
