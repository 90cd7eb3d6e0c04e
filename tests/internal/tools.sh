# Sourced by the shell tests that use tools nobody here wrote: pinned Go tools built once from
# the Go module proxy, Debian packages, a registry on 127.0.0.1 and Bazel's output paths.
# The caller sets ROOT (the repository) and uses `set -euo pipefail`.

BAZEL="$ROOT/tools/bazel"
CACHE=${RULES_GO_CROSS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rules_go_cross}

# GO_RUN: the go command of the Go SDK Bazel uses, through `bazel run` (so it waits for the server).
GO_RUN=("$BAZEL" run --ui_event_filters=-info,-stdout,-stderr --noshow_progress @rules_go//go --)

# sdk_go: prints the path of that SDK's go binary, to run it without the Bazel server (in the
# background, or beside a Bazel command): $GO_TOOL_GO when the caller resolved it already.
sdk_go() {
  local go=${GO_TOOL_GO:-}
  [[ -n "$go" ]] || go="$("${GO_RUN[@]}" env GOROOT 2>/dev/null)/bin/go"
  [[ -x "$go" ]] || {
    echo "no go command: \`bazel run @rules_go//go -- env GOROOT\` did not give the Go SDK ($go)" >&2
    return 1
  }
  echo "$go"
}

# Every tool from the Go module proxy, pinned: name, package, version.
declare -A GO_TOOL_PACKAGE=(
  [registry]=github.com/distribution/distribution/v3/cmd/registry
  [crane]=github.com/google/go-containerregistry/cmd/crane
  [cosign]=github.com/sigstore/cosign/v2/cmd/cosign
  [syft]=github.com/anchore/syft/cmd/syft
)
declare -A GO_TOOL_VERSION=(
  [registry]=v3.1.2
  [crane]=v0.22.1
  [cosign]=v2.6.5
  [syft]=v1.57.2
)

# go_tool NAME: prints the path of the pinned tool NAME, building it first (once per machine)
# into $CACHE/tools/NAME-VERSION with the Go SDK Bazel uses ($GO_TOOL_GO, that SDK's go command,
# when the caller resolved it: tools/test does, to build the tools in the background without
# waiting for the Bazel server). Concurrent builds each write a private directory and rename the
# result into place.
go_tool() {
  local name=$1 pkg=${GO_TOOL_PACKAGE[$1]} version=${GO_TOOL_VERSION[$1]}
  local bin="$CACHE/tools/$name-$version"
  if [[ ! -x "$bin" ]]; then
    echo "building $name $version from the Go module proxy (once, into $CACHE/tools)" >&2
    mkdir -p "$CACHE/tools"
    local tmp
    tmp=$(mktemp -d "$CACHE/tools/.build-$name.XXXXXX")
    local go=("${GO_RUN[@]}")
    [[ -n "${GO_TOOL_GO:-}" ]] && go=("$GO_TOOL_GO")
    if ! env CGO_ENABLED=0 GOFLAGS=-mod=mod GOBIN="$tmp" "${go[@]}" \
      install -trimpath -ldflags=-s\ -w "$pkg@$version" >&2; then
      rm -rf "$tmp"
      echo "go_tool: building $pkg@$version failed (is the Go module proxy reachable?)" >&2
      return 1
    fi
    mv -f "$tmp/$(basename "$pkg")" "$bin"
    rm -rf "$tmp"
  fi
  echo "$bin"
}

# need_debian COMMAND=PACKAGE...: installs the Debian packages whose commands are missing.
need_debian() {
  local missing=() spec
  for spec in "$@"; do
    command -v "${spec%%=*}" >/dev/null || missing+=("${spec#*=}")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "need_debian: missing ${missing[*]}; install them (apt-get install ${missing[*]}) or run as root" >&2
    return 1
  fi
  echo "installing Debian packages: ${missing[*]}" >&2
  (apt-get -o DPkg::Lock::Timeout=300 update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
      --no-install-recommends "${missing[@]}") >&2
}

# shellcheck source=tests/internal/outputs.sh
source "$ROOT/tests/internal/outputs.sh"

# bazel_files TARGET...: the files Bazel built for the targets (target platform of this
# workspace's .bazelrc), one a line, as absolute paths; build them first.
bazel_files() {
  bazel_outputs "$ROOT" "set($*)"
}

# start_registry DIR: starts distribution's registry on a free 127.0.0.1 port with its storage
# in DIR and sets REGISTRY (host:port) and REGISTRY_PID. Stop it with stop_registry.
REGISTRY_PID=
start_registry() {
  local dir=$1 bin port
  bin=$(go_tool registry)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$dir"
  cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/storage
http:
  addr: 127.0.0.1:$port
YAML
  "$bin" serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
  REGISTRY_PID=$!
  REGISTRY="127.0.0.1:$port"
  local _
  for _ in $(seq 100); do
    curl -fs "http://$REGISTRY/v2/" >/dev/null && return 0
    sleep 0.1
  done
  echo "registry did not start on $REGISTRY:" >&2
  cat "$dir/registry.log" >&2
  return 1
}

stop_registry() {
  if [[ -n "$REGISTRY_PID" ]]; then
    kill "$REGISTRY_PID" 2>/dev/null || true
    wait "$REGISTRY_PID" 2>/dev/null || true
    REGISTRY_PID=
  fi
}

# with_workdir NAME: sets WORK to a new temporary directory; on exit (keeping the script's
# status) the registry, if started, is stopped and WORK removed.
with_workdir() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  trap _workdir_cleanup EXIT
}
_workdir_cleanup() {
  local rc=$?
  set +e
  stop_registry
  rm -rf "$WORK"
  exit $rc
}

# fail MESSAGE: prints the message and exits 1.
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# go_test_zig: prints the path of the zig command for the Go tests that build cgo binaries
# (linkmode verify, the zig launcher): the Zig SDK that Bazel fetched for the toolchains, copied
# once to a path that is the same for every clone (Zig's cache keys contain its lib path, so a
# stable path keeps that cache warm).
go_test_zig() {
  local dir="$CACHE/go-test-zig-0.11.0" src
  if [[ ! -x "$dir/zig" ]]; then
    "$BAZEL" fetch @zig_sdk//:zig >/dev/null 2>&1
    src="$("$BAZEL" info output_base 2>/dev/null)/external/_main~zig~zig_sdk"
    rm -rf "$dir.tmp" && cp -rL "$src" "$dir.tmp" && mv "$dir.tmp" "$dir"
  fi
  echo "$dir/zig"
}
