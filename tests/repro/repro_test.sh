#!/usr/bin/env bash
# Reproducibility and hermeticity of the example matrix: pure, musl and glibc images for amd64
# and arm64 and their indexes (//examples/hello:index, //examples/cgo:index).
#
# B: a clone at another path (so another output base), with another TZ and umask, an empty disk
#    cache and an empty remote HTTP cache (nginx with WebDAV PUT on 127.0.0.1), and /tmp sealed:
#    Bazel runs with an empty, read-only /tmp (tools/bazel RULES_GO_CROSS_SEALED_TMP=1) and
#    actions get a private $TMPDIR. B executes every action itself (the C runtimes of the four
#    cgo targets included) and uploads the results. It also runs the binaries it built:
#    //tests/cgo (every cgo binary, arm64 under qemu), //tests/zig:matrix_test (32 C programs)
#    and //tests/images (every image in a chroot as nonroot).
#    Every index digest must equal the one recorded in tests/repro/digests.txt by a cold build
#    on another machine, path and day: the same sources give the same images everywhere.
#    No link may have built C runtime pieces itself (the launcher's warning).
# C: a third clone at another path with a fresh output base and the same remote cache: every
#    cacheable action must be a remote cache hit (the C runtime actions included). Misses are
#    explained by comparing B's and C's execution logs (tests/repro/execlogdiff).
# Nothing is shared between B and C but Bazel's own remote cache: no disk cache, no zig cache
# (the toolchains have none outside Bazel), a different output base.
#
# Afterwards B's results are added to the shared disk cache, so the rest of tools/test reuses
# them instead of building the matrix a second time.
#
#   tests/repro/repro_test.sh            the test
#   tests/repro/repro_test.sh --update   rewrite tests/repro/digests.txt from B's build (after a
#                                        change that is meant to change the images)
# Bazel runs as root here (tools/bazel needs it), so a different user is not tried.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT"
BAZEL="$ROOT/tools/bazel"
# shellcheck source=tests/internal/outputs.sh
source "$ROOT/tests/internal/outputs.sh"
# shellcheck source=tests/internal/http_cache.sh
source "$ROOT/tests/internal/http_cache.sh"
GOLDEN="$ROOT/tests/repro/digests.txt"
CACHE=${RULES_GO_CROSS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rules_go_cross}
TARGETS=(//examples/hello:index //examples/cgo:index)
TESTS=(//tests/cgo:cgo_test //tests/zig:matrix_test //tests/images:images_test)
update=0
[[ "${1:-}" == --update ]] && update=1

# Not under /tmp: B's /tmp is sealed, and its workspace must stay visible.
mkdir -p /var/tmp
work=$(mktemp -d /var/tmp/rules_go_cross-repro.XXXXXX)
nginx_pid=
cleanup() {
  for c in "$work/b/src/rules_go_cross" "$work/c/rules_go_cross"; do
    [[ -d "$c" ]] || continue
    sealed=0
    [[ "$c" == "$work/b/"* ]] && sealed=1
    ob=$(cd "$c" && RULES_GO_CROSS_SEALED_TMP=$sealed TMPDIR="$work/b-tmp" "$c/tools/bazel" info output_base 2>/dev/null)
    (cd "$c" && RULES_GO_CROSS_SEALED_TMP=$sealed TMPDIR="$work/b-tmp" "$c/tools/bazel" shutdown) >/dev/null 2>&1
    [[ -n "$ob" && -d "$ob" ]] && chmod -R u+w "$ob" 2>/dev/null && rm -rf "$ob"
  done
  [[ -n "$nginx_pid" ]] && kill "$nginx_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# --- the remote cache: nginx with WebDAV PUT (Bazel's HTTP cache protocol is GET/PUT) ---
start_http_cache "$work" || exit 1
nginx_pid=$HTTP_CACHE_PID
REMOTE=(--remote_cache="$HTTP_CACHE_URL" --remote_upload_local_results --remote_download_all --output_groups=+digest)

# index_digests DIR: "<label> <index digest>" and "<label> <os/arch/variant libc> <manifest
# digest>" lines for the index targets as built in the workspace DIR.
index_digests() {
  local dir=$1 t layout
  for t in "${TARGETS[@]}"; do
    layout=$(bazel_outputs "$dir" "$t" | head -1)
    python3 - "$t" "$layout" <<'PY'
import json, sys
label, layout = sys.argv[1], sys.argv[2]
with open(layout + "/index.json") as f:
    top = json.load(f)["manifests"][0]
print(label, top["digest"])
with open(layout + "/blobs/" + top["digest"].replace(":", "/")) as f:
    for m in json.load(f)["manifests"]:
        p = m.get("platform", {})
        plat = "/".join(x for x in (p.get("os"), p.get("architecture"), p.get("variant")) if x)
        libc = m.get("annotations", {}).get("io.rules_go_cross.libc", "?")
        print(label, plat, libc, m["digest"])
PY
  done
}

# --- B: another path, TZ, umask, sealed /tmp; builds and runs everything itself ---
b="$work/b/src/rules_go_cross"
mkdir -p "${b%/*}" "$work/b-tmp" "$work/b-disk"
start=$(date +%s)
(
  umask 0077
  export TZ=Pacific/Chatham RULES_GO_CROSS_SEALED_TMP=1 TMPDIR="$work/b-tmp"
  git clone -q "$ROOT" "$b" && cd "$b" &&
    tools/bazel test "${REMOTE[@]}" --disk_cache="$work/b-disk" --execution_log_json_file="$work/b.json" \
      --test_output=errors "${TARGETS[@]}" "${TESTS[@]}" >"$work/b.log" 2>&1
) || {
  echo "FAIL: B does not build, or a binary it built does not run:"
  grep -E '^(FAIL|ERROR)|FAILED|rules_go_cross:' "$work/b.log" | head -30
  tail -20 "$work/b.log"
  exit 1
}
echo "B: $b (TZ=Pacific/Chatham, umask 0077, sealed /tmp, empty caches) built and ran ${TESTS[*]} in $(($(date +%s) - start)) s: $(grep -E '^INFO: [0-9]+ process' "$work/b.log" | tail -1)"

status=0
if grep -q 'rules_go_cross: warning: zig built' "$work/b.log"; then
  echo "FAIL: links in B built C runtime pieces themselves (the prebuilt runtime lacks them):"
  grep 'rules_go_cross: warning: zig built' "$work/b.log" | sort -u | head -10
  status=1
fi
runtimes=$(grep -c '"mnemonic": "ZigRuntime"' "$work/b.json")
echo "B ran $runtimes ZigRuntime actions (a C and a C++ part per cgo target and glibc version)"
index_digests "$b" >"$work/b.digests"
if ((update)); then
  {
    echo "# Index and manifest digests of the example matrix, from a cold build (tests/repro/repro_test.sh --update)."
    echo "# Recorded $(date -u +%Y-%m-%d) on $(uname -m) $(nproc)-core $(. /etc/os-release && echo "$PRETTY_NAME"), at $b."
    cat "$work/b.digests"
  } >"$GOLDEN"
  echo "updated $GOLDEN"
fi
if diff <(grep -v '^#' "$GOLDEN") "$work/b.digests" >"$work/digests.diff"; then
  grep -E '^//[^ ]+ sha256:' "$work/b.digests" | sed 's/^/reproducible: /'
else
  echo "FAIL: B's digests differ from tests/repro/digests.txt (< recorded, > B):"
  cat "$work/digests.diff"
  echo "If the change is meant to change the images, run tests/repro/repro_test.sh --update and commit"
  echo "tests/repro/digests.txt; otherwise an input is not reproducible: compare two builds with"
  echo "'imagetool diff -a LAYOUT -b LAYOUT' (oci/private/cmd/imagetool), which names the file."
  status=1
fi

# --- C: fresh output base, same remote cache: every cacheable action must be a hit ---
c="$work/c/rules_go_cross"
mkdir -p "${c%/*}"
start=$(date +%s)
(
  git clone -q "$ROOT" "$c" && cd "$c" &&
    tools/bazel build "${REMOTE[@]}" --disk_cache= --execution_log_json_file="$work/c.json" "${TARGETS[@]}" >"$work/c.log" 2>&1
) || { echo "FAIL: C does not build"; tail -20 "$work/c.log"; exit 1; }
summary=$(grep -E '^INFO: [0-9]+ process' "$work/c.log" | tail -1)
echo "C: $c built in $(($(date +%s) - start)) s: $summary"
# "INFO: 212 processes: 150 remote cache hit, 62 internal." Anything else ran locally.
others=$(sed -E 's/^INFO: [0-9]+ process(es)?: //; s/\.$//' <<<"$summary" | tr ',' '\n' | grep -vE 'remote cache hit|internal' | sed 's/^ *//')
if [[ -n "$others" ]]; then
  echo "FAIL: not every action was a remote cache hit: $others"
  status=1
fi
execlogdiff=$(bazel_outputs "$ROOT" //tests/repro/execlogdiff)
if [[ ! -x "$execlogdiff" ]]; then
  "$BAZEL" build --ui_event_filters=-info --noshow_progress //tests/repro/execlogdiff >/dev/null 2>&1
fi
if ! "$execlogdiff" -a "$work/b.json" -b "$work/c.json"; then
  status=1
fi
if ! grep -q '"mnemonic": "ZigRuntime"' "$work/c.json"; then
  echo "FAIL: C's execution log has no ZigRuntime action: the C runtimes were not part of the build"
  status=1
fi
index_digests "$c" >"$work/c.digests"
if ! cmp -s "$work/b.digests" "$work/c.digests"; then
  echo "FAIL: C's digests differ from B's:"
  diff "$work/b.digests" "$work/c.digests"
  status=1
fi

# --- the rest of tools/test reuses what B built (and built cold) ---
mkdir -p "$CACHE/disk-cache"
cp -al --no-clobber "$work/b-disk/." "$CACHE/disk-cache/" 2>/dev/null ||
  cp -a --no-clobber "$work/b-disk/." "$CACHE/disk-cache/"
exit $status
