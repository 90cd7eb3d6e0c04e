#!/usr/bin/env bash
# rules_go releases newer than the 0.59.0 this module asks for (MVS gives users the highest any
# module asks for): for each one that can be resolved here, this repository's //... is analysed
# with it (--override_module=rules_go=<that release, from the Go module proxy>). Analysis is where
# rules_go's Starlark API meets ours (providers, settings our transitions write, toolchain
# types); building and running the examples with each release was done by hand (README
# "Compatibility"), not here: a new rules_go changes every Go action's key, so each release
# would be a cold build of the matrix.
#
# Which releases, and why not the others:
#   v0.60.0   all of //...
#   v0.62.0   //... but gazelle's binary: gazelle 0.42's std_package_list reads go.package_list,
#             which 0.62 removed, and every gazelle that reads go.sdk.package_list (0.45 and
#             later) asks for the package_metadata module, which no registry here serves
#   v0.63.0 to v0.65.0  ask for package_metadata themselves: not resolvable here
#   (the Go module proxy serves no v0.61.x)
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=tests/internal/tools.sh
source "$ROOT/tests/internal/tools.sh"
declare -A EXCLUDE=(
  [v0.60.0]=""
  [v0.62.0]="-//:gazelle -//:gazelle_binary -//:gazelle-runner -//go/gazelle/..."
)
GO=${GO:-$(sdk_go)} || {
  echo "FAIL: no go command"
  exit 1
}

# rules_go_at VERSION: the release's source tree (as tools/bazel prepares 0.59.0), once per machine.
rules_go_at() {
  local v=$1 dir="$CACHE/compat/rules_go-$1" tmp src
  if [[ ! -f "$dir/MODULE.bazel" ]]; then
    mkdir -p "$CACHE/compat"
    tmp=$(mktemp -d "$CACHE/compat/.rules_go-$v.XXXXXX")
    src=$(GOMODCACHE="$tmp/modcache" GOFLAGS=-mod=mod "$GO" mod download -json "github.com/bazelbuild/rules_go@$v" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [[ -n "$src" && -f "$src/MODULE.bazel" ]] || {
      echo "FAIL: go mod download github.com/bazelbuild/rules_go@$v failed (is the Go module proxy reachable?)" >&2
      chmod -R u+w "$tmp"
      rm -rf "$tmp"
      return 1
    }
    cp -r "$src" "$tmp/rules_go" && chmod -R u+w "$tmp" && find "$tmp/rules_go" -name '*.sh' -exec chmod +x {} + &&
      rm -rf "$dir" && mv "$tmp/rules_go" "$dir"
    rm -rf "$tmp"
  fi
  echo "$dir"
}

status=0
for v in v0.60.0 v0.62.0; do
  dir=$(rules_go_at "$v") || {
    status=1
    continue
  }
  # shellcheck disable=SC2206
  exclude=(${EXCLUDE[$v]})
  log=$(mktemp)
  if (cd "$ROOT" && "$BAZEL" build --nobuild --keep_going --override_module=rules_go="$dir" -- //... "${exclude[@]}") >"$log" 2>&1 &&
    grep -q "/rules_go-$v" <<<"$(cd "$ROOT" && "$BAZEL" info output_base 2>/dev/null | xargs -I{} readlink {}/external/rules_go~)"; then
    echo "ok: rules_go $v: //... ${exclude[*]} analyses ($(grep -oE 'Analyzed [0-9]+ targets' "$log"))"
  else
    echo "FAIL: rules_go $v: //... ${exclude[*]} does not analyse:"
    grep -E '^ERROR|Error' "$log" | head -10
    status=1
  fi
  rm -f "$log"
done
exit $status
