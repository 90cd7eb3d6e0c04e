#!/usr/bin/env bash
# Pushes //examples/hello:index with `bazel run //examples/hello:push` to a real registry
# (github.com/distribution/distribution/v3, built from the Go module proxy and started on
# 127.0.0.1), then pulls it back by digest into a new layout and checks that the digest
# printed, the digest in the registry and the digest Bazel built are one and the same, and
# that the pulled layout validates (every blob matches its digest).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT"
source "$ROOT/tests/internal/tools.sh"

with_workdir push_test
work=$WORK
start_registry "$work/registry"

"$BAZEL" build --output_groups=+digest //examples/hello:index
layout=$(bazel_files //examples/hello:index | head -1)
built=$(tr -d '\n' <"$layout.digest") || {
  echo "no digest file next to the index layout ($layout)"
  exit 1
}
repo="$REGISTRY/rules_go_cross/hello"
pushed=$("$BAZEL" run //examples/hello:push -- "$repo:v1" --insecure | tail -1)
echo "pushed: $pushed"
[[ "$pushed" == "$repo@$built" ]] || {
  echo "push printed $pushed, want $repo@$built"
  exit 1
}

imagetool=("$BAZEL" run --ui_event_filters=-info,-stdout,-stderr --noshow_progress //oci/private/cmd/imagetool --)
by_tag=$("${imagetool[@]}" pull-digest -ref "$repo:v1" -insecure)
[[ "$by_tag" == "$built" ]] || {
  echo "the registry serves $by_tag for tag v1, want $built"
  exit 1
}
pulled=$("${imagetool[@]}" pull -ref "$repo@$built" -insecure -out "$work/pulled")
[[ "$pulled" == "$built" ]] || {
  echo "pulled $pulled, want $built"
  exit 1
}
"${imagetool[@]}" validate -layout "$work/pulled"
echo "registry round trip ok: $built"
