#!/usr/bin/env bash
# bench/compare.sh: measure the alternatives users compare rules_go_cross with,
# for the pure-Go example ./examples/hello built as a linux/amd64 image on our
# static distroless base, and print the results as Markdown table rows.
#
# Usage (flags win over the environment variables of the same name):
#   bench/compare.sh [-base DIR] [-imagetool PATH] [-go GO] [-cache DIR]
#                    [-ko-version vX.Y.Z] [-registry PATH] [-port N]
#                    [-edit-workspace DIR -bazel PATH] [-edit-rounds N]
#   BASE        our static base for linux/amd64: single-image OCI layout dir (required)
#   IMAGETOOL   our imagetool binary (required), e.g.
#               CGO_ENABLED=0 go build -o /tmp/imagetool ./oci/private/cmd/imagetool
#   GO          go command used for every build, ko's included (default: go in PATH)
#   CACHE       tool binaries kept between runs (default:
#               ${RULES_GO_CROSS_CACHE:-$HOME/.cache/rules_go_cross}/bench);
#               ko is installed once into CACHE/ko-<version>/ko
#   KO_VERSION  ko version (default: the newest listed by the Go module proxy)
#   REGISTRY    distribution v3 registry binary (default:
#               ${RULES_GO_CROSS_CACHE:-$HOME/.cache/rules_go_cross}/bin/registry-v3.1.2).
#               ko (up to v0.19.1 at least) reads a base image only from a
#               registry or a docker daemon (ko.local), not from an OCI layout,
#               so BASE is pushed to a throw-away registry on 127.0.0.1.
#   PORT        that registry's port (default 5731). ko writes the base's name,
#               127.0.0.1:PORT/base:static, into its manifest annotations, so
#               ko's digest is only comparable between runs with the same PORT.
#
#   EDIT_WORKSPACE  a clone of rules_go_cross (with -bazel, its tools/bazel) to run the edit loop
#               in: N rounds (EDIT_ROUNDS, default 5), each a one-line change of the log
#               message in examples/hello/main.go followed by `bazel build
#               //examples/hello:image` until its new digest, then another one-line change
#               followed by a warm `ko build` until its new digest (A B A B: both see the same
#               machine drift). Prints each tool's median, min and max and the median of the
#               per-round ratios. The workspace's main.go is restored afterwards.
# Output columns:
#   tool    | step | seconds (wall time of that step, date +%s.%N)
#   | app bytes (compressed size of the layers above the base's)
#   | image bytes (compressed size of all layers: sum of manifest layers[].size)
#   | layers (base+app) | digest (image manifest digest)
# "cold" runs use an empty GOCACHE; "warm" runs reuse that GOCACHE.
# Everything is written to a temp dir removed on exit, except CACHE.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache_root="${RULES_GO_CROSS_CACHE:-$HOME/.cache/rules_go_cross}"
base="${BASE:-}" imagetool="${IMAGETOOL:-}" go_cmd="${GO:-go}"
cache="${CACHE:-$cache_root/bench}" ko_version="${KO_VERSION:-}"
registry="${REGISTRY:-$cache_root/tools/registry-v3.1.2}" port="${PORT:-5731}"
edit_ws="${EDIT_WORKSPACE:-}" bazel="${BAZEL:-}" edit_rounds="${EDIT_ROUNDS:-5}"

die() { echo "compare.sh: $*" >&2; exit 1; }
while (($#)); do
  [[ "$1" =~ ^--?h(elp)?$ || $# -ge 2 ]] || die "$1 needs a value"
  case "$1" in
    -base) base="$2" ;;
    -imagetool) imagetool="$2" ;;
    -go) go_cmd="$2" ;;
    -cache) cache="$2" ;;
    -ko-version) ko_version="$2" ;;
    -registry) registry="$2" ;;
    -port) port="$2" ;;
    -edit-workspace) edit_ws="$2" ;;
    -bazel) bazel="$2" ;;
    -edit-rounds) edit_rounds="$2" ;;
    -h | -help | --help) sed -n '2,40p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument $1 (try -help)" >&2; exit 2 ;;
  esac
  shift 2
done

[[ -f "$base/index.json" ]] || die "BASE ($base) is not an OCI layout directory"
[[ -x "$imagetool" ]] || die "IMAGETOOL ($imagetool) is not an executable"
[[ -x "$registry" ]] || die "REGISTRY ($registry) is not an executable"
if [[ -n "$edit_ws" ]]; then
  [[ -f "$edit_ws/examples/hello/main.go" ]] || die "EDIT_WORKSPACE ($edit_ws) is not a clone of rules_go_cross"
  [[ -x "$bazel" ]] || die "BAZEL ($bazel) is not an executable (the edit loop needs -bazel)"
  [[ "$edit_rounds" =~ ^[1-9][0-9]*$ ]] || die "EDIT_ROUNDS ($edit_rounds) is not a positive number"
fi
go_bin="$(command -v "$go_cmd")" || die "GO ($go_cmd) not found"
base="$(cd "$base" && pwd)" imagetool="$(cd "$(dirname "$imagetool")" && pwd)/$(basename "$imagetool")"

# ko writes "<layout path>@<digest>" as an image reference, so the temp dir's path
# must be a valid lower-case repository name: no mktemp -d (it uses upper case).
tmp_root="${TMPDIR:-/tmp}" tmp_root="${tmp_root%/}"
[[ "$tmp_root" =~ ^[a-z0-9_./-]+$ ]] || tmp_root=/tmp
work="$tmp_root/rules_go_cross-bench.$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
mkdir -m 700 "$work"
registry_pid=""
cleanup() {
  if [[ -n "$registry_pid" ]]; then kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; fi
  chmod -R u+w "$work" 2>/dev/null || true # the Go cache and module files are read-only
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# measure LAYOUT BASE_LAYERS: sets app, img, layers and digest of a single-image
# layout from imagetool size-report: compressed bytes of the layers above the
# first BASE_LAYERS (app), of all manifest layers[].size (img), the layer split
# "base+app", and the manifest digest.
measure() {
  local out
  "$imagetool" size-report -layout "$1" -base-layers "$2" -out "$work/r.txt" -json "$work/r.json" >/dev/null
  out="$(python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); n = len(r["layers"]); b = r["base_layers"]
print(r["app"]["compressed_bytes"], r["total"]["compressed_bytes"], "%d+%d" % (b, n - b), r["digest"])' "$work/r.json")"
  read -r app img layers digest <<<"$out"
}
row() { printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$@"; }
same() { if [[ "$1" == "$2" ]]; then echo "same digest"; else echo "DIFFERENT digests ($1 vs $2)"; fi; }

# The base's layer count, so the app layers of both images can be told apart.
base_layers="$(python3 -c 'import json, os, sys
d = sys.argv[1]; blob = lambda h: os.path.join(d, "blobs", *h.split(":"))
m = json.load(open(blob(json.load(open(os.path.join(d, "index.json")))["manifests"][0]["digest"])))
print(len(m["layers"]))' "$base")"
measure "$base" "$base_layers"
base_size="$img"

# --- Tool set-up (not timed): ko, installed once per version into CACHE. -----
if [[ -z "$ko_version" ]]; then
  ko_version="$(curl -fsS https://proxy.golang.org/github.com/google/ko/@v/list | grep -v -- - | sort -V | tail -n1)"
  [[ -n "$ko_version" ]] || die "could not list ko versions on the Go module proxy"
fi
ko="$cache/ko-$ko_version/ko"
if [[ ! -x "$ko" ]]; then
  echo "compare.sh: installing ko $ko_version into $cache/ko-$ko_version (once)" >&2
  mkdir -p "$cache/ko-$ko_version"
  GOBIN="$cache/ko-$ko_version" GOFLAGS=-mod=mod "$go_bin" install "github.com/google/ko@$ko_version" >&2
fi

# --- A throw-away registry on 127.0.0.1 holding BASE, for ko to pull from. ---
mkdir -p "$work/registry"
cat >"$work/registry.yml" <<EOF
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: 127.0.0.1:$port
EOF
"$registry" serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break
  kill -0 "$registry_pid" 2>/dev/null || die "registry exited: $(cat "$work/registry.log")"
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null || die "registry not answering on 127.0.0.1:$port"
"$imagetool" push -layout "$base" -to "127.0.0.1:$port/base:static" -insecure >/dev/null

echo "| tool | step | seconds | app bytes | image bytes | layers (base+app) | digest |"
echo "| --- | --- | ---: | ---: | ---: | --- | --- |"

# --- 1. ko: go build inside ko + its own layering, base pulled from the registry.
# ko_run DIR NAME GOCACHE [ko flags...]: one `ko build` of DIR/examples/hello for
# linux/amd64 into the OCI layout $work/NAME (no push), with ko's defaults
# (-trimpath, no -s -w, SBOM spdx); SOURCE_DATE_EPOCH, KO_DATA_DATE_EPOCH and
# KOCACHE are unset so ko uses its fixed 1970 timestamps and no base cache.
ko_run() {
  local dir="$1" name="$2" gocache="$3"
  shift 3
  (cd "$dir" && env -u SOURCE_DATE_EPOCH -u KO_DATA_DATE_EPOCH -u KOCACHE GOCACHE="$gocache" KO_GO_PATH="$go_bin" \
    KO_DOCKER_REPO="127.0.0.1:$port/hello" KO_DEFAULTBASEIMAGE="127.0.0.1:$port/base:static" \
    "$ko" build ./examples/hello --platform=linux/amd64 --push=false --insecure-registry \
    --oci-layout-path="$work/$name" "$@" >"$work/$name.ref" 2>"$work/$name.log") ||
    die "ko build failed: $(cat "$work/$name.log")"
}
# ko_build NAME GOCACHE [ko flags...]: times ko_run in this checkout.
ko_build() {
  local t0 t1
  t0="$(now)"
  ko_run "$root" "$@"
  t1="$(now)"
  secs "$t0" "$t1"
}
ko_cache="$work/gocache-ko"
t="$(ko_build ko-cold "$ko_cache")"; measure "$work/ko-cold" "$base_layers"; ko_cold="$digest"
row "ko $ko_version" "ko build, cold GOCACHE" "$t" "$app" "$img" "$layers" "$digest"
t="$(ko_build ko-warm "$ko_cache")"; measure "$work/ko-warm" "$base_layers"; ko_warm="$digest"
row "ko $ko_version" "ko build, warm" "$t" "$app" "$img" "$layers" "$digest"
t="$(ko_build ko-strip "$ko_cache" --ldflags=-s --ldflags=-w)"; measure "$work/ko-strip" "$base_layers"
row "ko $ko_version" "ko build --ldflags='-s -w', warm" "$t" "$app" "$img" "$layers" "$digest"

# --- 2. go build + our base, assembled by hand with imagetool. --------------
# go_build NAME GOCACHE: times the stripped static build of ./examples/hello.
go_build() {
  local t0 t1
  t0="$(now)"
  (cd "$root" && CGO_ENABLED=0 GOOS=linux GOARCH=amd64 GOCACHE="$2" \
    "$go_bin" build -trimpath -ldflags='-s -w' -o "$work/$1" ./examples/hello)
  t1="$(now)"
  secs "$t0" "$t1"
}
# assemble NAME: times imagetool layer (deterministic app tar) + imagetool image
# (base layers + gzip'd app layer + config + manifest) into the layout $work/NAME.img.
assemble() {
  local t0 t1
  t0="$(now)"
  "$imagetool" layer -out "$work/$1.tar" -file "/app/hello=$work/$1:0755"
  "$imagetool" image -base "$base" -layer "$work/$1.tar" -entrypoint /app/hello -user 65532 \
    -out "$work/$1.img" -digest "$work/$1.digest" >"$work/$1.log" 2>&1 || die "imagetool image failed: $(cat "$work/$1.log")"
  t1="$(now)"
  secs "$t0" "$t1"
}
go_cache="$work/gocache-go"
row "go build + imagetool" "go build, cold GOCACHE" "$(go_build hello-cold "$go_cache")" "" "" "" ""
t_build="$(go_build hello-warm "$go_cache")"
row "go build + imagetool" "go build, warm" "$t_build" "" "" "" ""
assemble hello-cold >/dev/null
t_asm="$(assemble hello-warm)"
measure "$work/hello-cold.img" "$base_layers"; go_cold="$digest"
measure "$work/hello-warm.img" "$base_layers"; go_warm="$digest"
[[ "$go_warm" == "$(cat "$work/hello-warm.digest")" ]] || die "size-report and -digest disagree"
row "go build + imagetool" "imagetool layer + image" "$t_asm" "$app" "$img" "$layers" "$go_warm"
row "go build + imagetool" "warm go build + assembly" "$(awk -v a="$t_build" -v b="$t_asm" 'BEGIN { printf "%.2f", a + b }')" \
  "$app" "$img" "$layers" "$go_warm"

# --- 3. Reference figures and reproducibility. --------------------------------
echo
echo "- base image (BASE): $base_size compressed bytes in $base_layers layer(s)"
echo "- bare stripped binary (go build -trimpath -ldflags='-s -w'): $(wc -c <"$work/hello-warm") bytes uncompressed"
echo "- ko: base pulled from a local registry (127.0.0.1:$port/base:static, pushed by imagetool push); ko cannot read an OCI layout as its base"
echo "- ko reproducibility, cold vs warm run: $(same "$ko_cold" "$ko_warm") (SOURCE_DATE_EPOCH unset)"
echo "- go build + imagetool reproducibility, cold vs warm binary: $(same "$go_cold" "$go_warm")"
echo "- $("$go_bin" version), $(nproc) CPU(s)"

# --- 4. The edit loop: a one-line change, then the build until the new digest. ---------
[[ -n "$edit_ws" ]] || exit 0
main_go="$edit_ws/examples/hello/main.go"
cp "$main_go" "$work/main.go.orig"
restore_main() { cp "$work/main.go.orig" "$main_go"; }
trap 'restore_main; cleanup' EXIT
# edit TAG: the log message of examples/hello becomes "... listening on %s (TAG)": a change
# of the binary, so of the image digest, in one line.
edit() {
  sed -E 's/listening on %s[^"]*"/listening on %s ('"$1"')"/' "$work/main.go.orig" >"$main_go"
  grep -qF "($1)" "$main_go" || die "could not edit $main_go (its log message changed?)"
}
# layout_digest DIR: the digest of the (last) manifest in the OCI layout DIR's index.json.
layout_digest() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1] + "/index.json"))["manifests"][-1]["digest"])' "$1"; }
bazel_digest() { layout_digest "$edit_ws/bazel-bin/examples/hello/image"; }
bazel_image() { (cd "$edit_ws" && "$bazel" build --ui_event_filters=-info,-stdout,-stderr --noshow_progress //examples/hello:image) >"$work/edit-bazel.log" 2>&1 || die "bazel build failed: $(tail -20 "$work/edit-bazel.log")"; }
ko_image() { ko_run "$edit_ws" "$1" "$ko_cache"; } # ko_image NAME: a warm ko build of the edit workspace
ko_digest() { layout_digest "$work/$1"; }
# Warm both: the first build after a checkout is not part of an edit loop.
edit warmup-bazel; bazel_image; prev_bazel=$(bazel_digest)
edit warmup-ko; ko_image ko-edit-0; prev_ko=$(ko_digest ko-edit-0)
bazel_times=() ko_times=() ratios=()
# A word no earlier run used: the shared disk cache must not already hold the edited build.
nonce=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
for i in $(seq "$edit_rounds"); do
  edit "edit $i bazel $nonce"
  t0="$(now)"; bazel_image; tb="$(secs "$t0" "$(now)")"
  d=$(bazel_digest)
  [[ "$d" != "$prev_bazel" ]] || die "round $i: the bazel image digest did not change after the edit"
  prev_bazel=$d
  edit "edit $i ko $nonce"
  t0="$(now)"; ko_image "ko-edit-$i"; tk="$(secs "$t0" "$(now)")"
  d=$(ko_digest "ko-edit-$i")
  [[ "$d" != "$prev_ko" ]] || die "round $i: the ko image digest did not change after the edit"
  prev_ko=$d
  bazel_times+=("$tb") ko_times+=("$tk") ratios+=("$(awk -v a="$tb" -v b="$tk" 'BEGIN { printf "%.2f", a / b }')")
done
restore_main
# stats V...: "median (min to max)"
stats() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f (%.2f to %.2f)", m, v[1], v[NR] }'; }
echo
echo "Edit loop, $edit_rounds rounds, A B A B: a one-line change of examples/hello/main.go, then the build until the image has its new digest."
echo
echo "| tool | command | seconds, median (min to max) |"
echo "| --- | --- | ---: |"
echo "| rules_go_cross | \`tools/bazel build //examples/hello:image\` (warm server and output base) | $(stats "${bazel_times[@]}") |"
echo "| ko $ko_version | \`ko build ./examples/hello --platform=linux/amd64\` (warm GOCACHE) | $(stats "${ko_times[@]}") |"
echo "| ratio rules_go_cross / ko, per round | | $(stats "${ratios[@]}") |"
