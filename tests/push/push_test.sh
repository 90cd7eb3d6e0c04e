#!/usr/bin/env bash
# Pushes //examples/hello:index with `bazel run //examples/hello:push` to a real registry
# (github.com/distribution/distribution/v3, built from the Go module proxy and started on
# 127.0.0.1), then pulls it back by digest into a new layout and checks that the digest
# printed, the digest in the registry and the digest Bazel built are one and the same, and
# that the pulled layout validates (every blob matches its digest).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT"
BAZEL="$ROOT/tools/bazel"
# shellcheck source=tests/internal/outputs.sh
source "$ROOT/tests/internal/outputs.sh"
CACHE=${RULES_GO_CROSS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rules_go_cross}
REGISTRY_VERSION=v3.1.2
REGISTRY="$CACHE/bin/registry-$REGISTRY_VERSION"
GO=("$BAZEL" run --ui_event_filters=-info,-stdout,-stderr --noshow_progress @rules_go//go --)

if [[ ! -x "$REGISTRY" ]]; then
  echo "building distribution/v3 registry $REGISTRY_VERSION (once, into $CACHE/bin)"
  mkdir -p "$CACHE/bin"
  env CGO_ENABLED=0 GOFLAGS=-mod=mod GOBIN="$CACHE/bin/.tmp" \
    "${GO[@]}" install "github.com/distribution/distribution/v3/cmd/registry@$REGISTRY_VERSION"
  mv "$CACHE/bin/.tmp/registry" "$REGISTRY"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/push_test.XXXXXX")
pid=
cleanup() {
  local rc=$?
  set +e
  if [[ -n "$pid" ]]; then
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$work/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $work/storage
http:
  addr: 127.0.0.1:$port
YAML
"$REGISTRY" serve "$work/config.yml" >"$work/registry.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$port/v2/" >/dev/null || {
  echo "registry did not start:"
  cat "$work/registry.log"
  exit 1
}

"$BAZEL" build --output_groups=+digest //examples/hello:index
layout=$(bazel_outputs "$ROOT" //examples/hello:index | head -1)
built=$(tr -d '\n' <"$layout.digest") || {
  echo "no digest file next to the index layout ($layout)"
  exit 1
}
repo="127.0.0.1:$port/rules_go_cross/hello"
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
