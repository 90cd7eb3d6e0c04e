#!/usr/bin/env bash
# tests/remote: builds on a real remote-execution engine, Bazel's reference worker on 127.0.0.1
# (tools/offline/remoteworker: every action in linux-sandbox, private /tmp, no network, the
# root's host toolchains hidden), from a fresh clone with --spawn_strategy=remote,
# --remote_local_fallback=false and --remote_download_minimal (build without the bytes):
#   1. what a remote action sees: no gcc, no Go, no libc headers, an empty private /tmp, a
#      read-only file system, loopback only (//tests/remote:worker_isolation);
#   2. //examples/hello:index (pure, amd64 and arm64) and the cgo example for linux_amd64_glibc
#      (C and C++ with the zig toolchains, both C runtime parts built on the worker):
#      the execution log shows every spawn run on the worker or answered by its action cache,
#      none locally; the index digest equals tests/repro/digests.txt;
#   3. `bazel run //examples/hello:push` after that build without the bytes pushes the index to a
#      registry on 127.0.0.1 (the blobs come from the worker's CAS), under the recorded digest;
#      `bazel run //examples/hello:sign` signs it with cosign and attaches each image's SBOM
#      and provenance (built on the worker too);
#   4. the results, downloaded afterwards from the worker's CAS: the index digest is the recorded
#      one, cosign verifies the signature and both attestations of each of its images, the cgo
#      binary runs.
# The worker's CAS persists in $RULES_GO_CROSS_CACHE/remote-worker between runs (a cold run
# builds everything on the worker); RULES_GO_CROSS_REMOTE_FRESH=1 starts from an empty one.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT"
# shellcheck source=tests/internal/tools.sh
source "$ROOT/tests/internal/tools.sh"

mkdir -p /var/tmp
work=$(mktemp -d /var/tmp/rules_go_cross-remote.XXXXXX)
clone="$work/rules_go_cross"
worker="$work/remote-worker"
fail=0
cleanup() {
  if [[ -d "$clone" ]]; then
    ob=$(cd "$clone" && tools/bazel info output_base 2>/dev/null) || true
    (cd "$clone" && tools/bazel shutdown) >/dev/null 2>&1 || true
    [[ -n "${ob:-}" && -d "$ob" ]] && chmod -R u+w "$ob" 2>/dev/null && rm -rf "$ob"
  fi
  [[ -x "$worker" ]] && "$worker" stop
  stop_registry
  rm -rf "$work"
}
trap cleanup EXIT

# tools/bazel tops up the offline root's packages (the worker's sources, bazel-bootstrap-source).
"$BAZEL" info release >/dev/null
go=$(sdk_go) || exit 1
env CGO_ENABLED=0 GOWORK=off "$go" build -C "$ROOT/tools/offline" -o "$worker" ./cmd/remote-worker
"$worker" stop
fresh=()
[[ "${RULES_GO_CROSS_REMOTE_FRESH:-}" == 1 ]] && fresh=(--fresh)
url=$("$worker" start "${fresh[@]}")
echo "remote worker: $url"

# The execution platform gives the C runtime actions (exec group zig_runtime) a property of their
# own, as a user gives them a bigger worker pool; the exec log must show it on those alone.
REMOTE=(--remote_executor="$url" --remote_local_fallback=false --spawn_strategy=remote
  --remote_download_minimal --disk_cache= --noremote_upload_local_results
  --extra_execution_platforms=//tests/remote:runtime_pool)
git clone -q "$ROOT" "$clone"
cd "$clone"

# --- 1. what a remote action sees ---
tools/bazel build "${REMOTE[@]}" --remote_download_toplevel //tests/remote:worker_isolation >"$work/isolation.log" 2>&1 ||
  { tail -30 "$work/isolation.log"; exit 1; }
if diff "$ROOT/tests/remote/worker_isolation.expected" bazel-bin/tests/remote/worker_isolation.txt; then
  echo "ok: a remote action sees no host toolchain, an empty private /tmp, a read-only root, loopback only"
else
  echo "FAIL: a remote action's view of the worker differs from tests/remote/worker_isolation.expected (< expected, > seen)"
  fail=1
fi

# --- 2. the builds, without the bytes ---
build() { # build NAME PLATFORM RUNTIMES TARGET...: RUNTIMES is the number of ZigRuntime spawns
  local name=$1 platform=$2 runtimes=$3
  shift 3
  local t0=$SECONDS
  if ! tools/bazel build "${REMOTE[@]}" --platforms="$platform" --execution_log_json_file="$work/$name.json" \
    "$@" >"$work/$name.log" 2>&1; then
    echo "FAIL: remote build $name ($platform) failed:"
    tail -30 "$work/$name.log"
    exit 1
  fi
  echo "built $name for $platform remotely in $((SECONDS - t0)) s: $(grep -E '^INFO: [0-9]+ process' "$work/$name.log")"
  # Every spawn must have run on the worker or come from its action cache.
  python3 - "$name" "$work/$name.json" "$runtimes" <<'PY' || fail=1
import collections, json, sys
name, path, want_runtimes = sys.argv[1], sys.argv[2], int(sys.argv[3])
dec, text, i = json.JSONDecoder(), open(path).read(), 0
runners, local, pool, runtimes = collections.Counter(), [], [], 0
while True:
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    spawn, i = dec.raw_decode(text, i)
    runner = spawn.get("runner", "?")
    runners[runner] += 1
    if runner not in ("remote", "remote cache hit"):
        local.append("%s (%s)" % (spawn.get("mnemonic", "?"), runner))
    props = {p["name"]: p.get("value", "") for p in spawn.get("platform", {}).get("properties", [])}
    runtime = spawn.get("mnemonic") == "ZigRuntime"
    runtimes += runtime
    if (props.get("Pool") == "runtime") != runtime:
        pool.append("%s %s" % (spawn.get("mnemonic", "?"), props))
print("  %s spawns: %s" % (name, ", ".join("%d %s" % (n, r) for r, n in sorted(runners.items()))))
if local:
    print("FAIL: %s: spawns that did not run on the worker: %s" % (name, "; ".join(local)))
if pool or runtimes != want_runtimes:
    print("FAIL: %s: want Pool=runtime on the %d ZigRuntime spawns (exec group zig_runtime) and on no other; %d ZigRuntime, wrong: %s" % (name, want_runtimes, runtimes, "; ".join(pool[:5])))
elif runtimes:
    print("  %s: Pool=runtime on the %d ZigRuntime spawns only" % (name, runtimes))
if local or pool or runtimes != want_runtimes:
    sys.exit(1)
PY
}
build hello //platforms:host 0 //examples/hello:index --output_groups=+digest
build cgo_glibc //platforms:linux_amd64_glibc 2 //examples/cgo

# --- 3. push without the bytes: bazel run takes the image's blobs from the worker's CAS ---
want=$(awk '$1 == "//examples/hello:index" && NF == 2 {print $2}' "$ROOT/tests/repro/digests.txt")
start_registry "$work/registry"
repo="$REGISTRY/rules_go_cross/hello"
if [[ -e bazel-bin/examples/hello/index ]]; then
  echo "FAIL: the index layout is on the client after a --remote_download_minimal build"
  fail=1
fi
pushed=$(tools/bazel run "${REMOTE[@]}" //examples/hello:push -- "$repo:remote" --insecure 2>"$work/push.log" | tail -1) ||
  { tail -30 "$work/push.log"; exit 1; }
if [[ "$pushed" == "$repo@$want" ]]; then
  echo "ok: bazel run :push after a build without the bytes pushed $pushed, the recorded digest"
else
  echo "FAIL: bazel run :push after a build without the bytes printed '$pushed', want $repo@$want"
  fail=1
fi

# :sign, the same way: the SBOMs and provenance it attests were built on the worker.
need_debian jq=jq
COSIGN=$(go_tool cosign)
export COSIGN_PASSWORD=rules_go_cross-remote-test
(cd "$work" && "$COSIGN" generate-key-pair --output-key-prefix release >/dev/null 2>&1)
signed=$(RULES_GO_CROSS_COSIGN="$COSIGN" tools/bazel run "${REMOTE[@]}" //examples/hello:sign -- \
  --key "$work/release.key" --insecure "$repo:signed" 2>"$work/sign.log" | tail -1) ||
  { tail -30 "$work/sign.log"; exit 1; }
verify() { "$COSIGN" verify --key "$work/release.pub" --insecure-ignore-tlog=true "$@" 2>>"$work/verify.err"; }
attestations() { # attestations TYPE REF: how many attestations of TYPE on REF cosign verifies
  "$COSIGN" verify-attestation --key "$work/release.pub" --insecure-ignore-tlog=true --type "$1" "$2" \
    2>>"$work/verify.err" | jq -s length
}
if [[ "$signed" == "$repo@$want" &&
  $(verify "$repo:signed" | jq -r '.[0].critical.image["docker-manifest-digest"]') == "$want" ]]; then
  echo "ok: bazel run :sign after a build without the bytes signed $signed; cosign verify passes"
else
  echo "FAIL: bazel run :sign after a build without the bytes printed '$signed' (want $repo@$want), or cosign verify of $repo:signed failed: $(cat "$work/verify.err")"
  fail=1
fi

# --- 4. fetch the results (action cache hits: nothing runs) and check them ---
tools/bazel build "${REMOTE[@]}" --remote_download_toplevel --output_groups=+digest //examples/hello:index >"$work/fetch.log" 2>&1 ||
  { tail -30 "$work/fetch.log"; exit 1; }
got=$(cat bazel-bin/examples/hello/index.digest)
if [[ "$got" == "$want" ]]; then
  echo "ok: //examples/hello:index built remotely is $got, as recorded"
else
  echo "FAIL: //examples/hello:index built remotely is $got, recorded $want"
  fail=1
fi
top=$(jq -r '.manifests[0].digest' bazel-bin/examples/hello/index/index.json)
mapfile -t images < <(jq -r '.manifests[].digest' "bazel-bin/examples/hello/index/blobs/sha256/${top#sha256:}")
[[ ${#images[@]} -eq 2 ]] || { echo "FAIL: the hello index has ${#images[@]} images, want 2"; fail=1; }
for img in "${images[@]}"; do
  for type in spdxjson slsaprovenance1; do
    n=$(attestations "$type" "$repo@$img") || n=
    if [[ "$n" == 1 ]]; then
      echo "ok: $img carries one verified $type attestation"
    else
      echo "FAIL: $img: want one verified $type attestation, cosign gave ${n:-none}: $(tail -3 "$work/verify.err")"
      fail=1
    fi
  done
done

run() { # run PLATFORM WANT CMD...: the binary must exit 0 and print WANT
  local platform=$1 want=$2
  shift 2
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  if [[ $rc -eq 0 ]] && grep -qF "$want" <<<"$out"; then
    echo "ok: //examples/cgo for $platform, fetched from the worker, runs"
  else
    echo "FAIL: //examples/cgo for $platform, fetched from the worker: want exit 0 and '$want', got exit $rc:"
    echo "$out"
    fail=1
  fi
}
for platform in linux_amd64_glibc; do
  tools/bazel build "${REMOTE[@]}" --remote_download_toplevel --platforms=//platforms:$platform //examples/cgo >"$work/fetch-$platform.log" 2>&1 ||
    { tail -30 "$work/fetch-$platform.log"; exit 1; }
  bin=$(readlink -f bazel-bin/examples/cgo/cgo_/cgo)
  cp "$bin" "$work/cgo-$platform"
done
run linux_amd64_glibc "platform: linux/amd64 libc=glibc" "$work/cgo-linux_amd64_glibc"

exit $fail
