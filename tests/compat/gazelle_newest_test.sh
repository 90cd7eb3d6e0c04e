#!/usr/bin/env bash
# Our gazelle extension (go/gazelle) is Go code compiled against gazelle's packages. The module
# pins gazelle v0.42.0 (go.mod; the Bazel module in tools/bazel's environment); users' MVS may
# give them a newer one. This compiles, vets and tests go/gazelle against NEWEST, the newest
# gazelle the Go module proxy served when it was last raised here, in a copy of this checkout's
# files: an API change shows up here, not in a user's build.
#
#   tests/compat/gazelle_newest_test.sh          (GO: the go command, default: Bazel's Go SDK)
#
# Raise NEWEST when the proxy lists a newer release (the script says so).
set -uo pipefail
NEWEST=v0.54.0
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=tests/internal/tools.sh
source "$ROOT/tests/internal/tools.sh"
GO=${GO:-$(sdk_go)} || {
  echo "FAIL: no go command"
  exit 1
}
work=$(mktemp -d "${TMPDIR:-/tmp}/gazelle-newest.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
(cd "$ROOT" && git ls-files -z) | (cd "$ROOT" && tar --null -T - -cf -) | tar -xf - -C "$work" || {
  echo "FAIL: could not copy the checkout's Go files"
  exit 1
}
export GOFLAGS=-mod=mod CGO_ENABLED=0 GOTOOLCHAIN=local GOWORK=off
cd "$work"
listed=$(curl -fsS --max-time 20 https://proxy.golang.org/github.com/bazelbuild/bazel-gazelle/@v/list 2>/dev/null | grep -v -- - | sort -V | tail -1)
if [[ -n "$listed" && "$listed" != "$NEWEST" ]] && [[ "$(printf '%s\n%s\n' "$listed" "$NEWEST" | sort -V | tail -1)" == "$listed" ]]; then
  echo "note: the Go proxy now lists gazelle $listed, newer than $NEWEST: raise NEWEST in $0"
fi
"$GO" get "github.com/bazelbuild/bazel-gazelle@$NEWEST" >"$work/get.log" 2>&1 && "$GO" mod tidy >>"$work/get.log" 2>&1 || {
  echo "FAIL: go get gazelle@$NEWEST failed (is the Go module proxy reachable?):"
  tail -20 "$work/get.log"
  exit 1
}
echo "go/gazelle against $("$GO" list -m github.com/bazelbuild/bazel-gazelle) ($("$GO" list -m github.com/bazel-contrib/bazel-gazelle/v2 2>/dev/null || echo 'no v2 module'))"
"$GO" vet ./go/gazelle/... || {
  echo "FAIL: go vet ./go/gazelle/... against gazelle $NEWEST"
  exit 1
}
out=$("$GO" test -count=1 -v ./go/gazelle/... 2>&1)
status=$?
grep -E '^(--- FAIL|FAIL|ok)' <<<"$out"
passed=$(grep -c '^--- PASS' <<<"$out")
if ((status != 0 || passed == 0)); then
  echo "FAIL: go test ./go/gazelle/... against gazelle $NEWEST ($passed passed):"
  tail -30 <<<"$out"
  exit 1
fi
echo "ok: go/gazelle builds, vets and passes $passed tests against gazelle $NEWEST"
