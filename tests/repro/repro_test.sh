#!/usr/bin/env bash
# Reproducibility and hermeticity of the example matrix: pure, musl and glibc images for
# amd64 and arm64 and their indexes (//examples/hello:index, //examples/cgo:index).
#
# A: this checkout, built as tools/test builds it.
# B: a clone at another path (so another output base), with another TZ and umask, no disk
#    cache, and a remote HTTP cache (nginx with WebDAV PUT on 127.0.0.1) that starts empty:
#    B executes every action itself and uploads the results. Every image and index digest
#    must equal A's; on a difference, `imagetool diff` says which manifest, config field,
#    layer and first file differ.
# C: a third clone at another path with a fresh output base and the same remote cache: every
#    cacheable action must be a remote cache hit. Misses are explained by comparing B's and
#    C's execution logs (tests/repro/execlogdiff: mnemonic, target, differing inputs).
# Bazel runs as root here (tools/bazel needs it), so a different user is not tried.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT"
BAZEL="$ROOT/tools/bazel"
TARGETS=(//examples/hello:index //examples/cgo:index)
QUIET=(--ui_event_filters=-info,-stdout,-stderr --noshow_progress)

work=$(mktemp -d /tmp/rules_go_cross-repro.XXXXXX)
nginx_pid=
cleanup() {
  for c in "$work/b/src/rules_go_cross" "$work/c/rules_go_cross"; do
    [[ -d "$c" ]] || continue
    ob=$(cd "$c" && "$BAZEL" info output_base 2>/dev/null)
    (cd "$c" && "$BAZEL" shutdown) >/dev/null 2>&1
    [[ -n "$ob" && -d "$ob" ]] && chmod -R u+w "$ob" 2>/dev/null && rm -rf "$ob"
  done
  [[ -n "$nginx_pid" ]] && kill "$nginx_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# --- the remote cache: nginx with WebDAV PUT (Bazel's HTTP cache protocol is GET/PUT) ---
if ! command -v nginx >/dev/null; then
  echo "installing nginx (Debian) for the remote cache"
  (apt-get update -qq && apt-get install -y -qq --no-install-recommends nginx) >"$work/apt.log" 2>&1 ||
    { echo "FAIL: could not install nginx; see the apt log:"; tail -5 "$work/apt.log"; exit 1; }
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/cache" "$work/nginx-tmp"
cat >"$work/nginx.conf" <<CONF
user root;
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
daemon off;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $work/nginx-tmp;
  server {
    listen 127.0.0.1:$port;
    root $work/cache;
    client_max_body_size 0;
    location / {
      dav_methods PUT;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
    }
  }
}
CONF
nginx -c "$work/nginx.conf" &
nginx_pid=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
REMOTE=(--disk_cache= --remote_cache="http://127.0.0.1:$port" --remote_upload_local_results --remote_download_all --output_groups=+digest)

# out DIR LABEL...: the output files of the labels as built in the workspace DIR (bazel-bin
# follows the last build's platform, so it is not used).
out() {
  local dir=$1
  shift
  (cd "$dir" && "$BAZEL" cquery --ui_event_filters=-info --noshow_progress --output=files "$@" 2>/dev/null | sed "s|^|$dir/|")
}
# layouts DIR: "<layout dir> <digest file>" per index target, in TARGETS order.
layouts() {
  local dir=$1 t
  for t in "${TARGETS[@]}"; do
    l=$(out "$dir" "$t" | head -1)
    echo "$l $l.digest"
  done
}

# --- A ---
echo "A: $ROOT"
"$BAZEL" build "${QUIET[@]}" --output_groups=+digest "${TARGETS[@]}" || { echo "FAIL: A does not build"; exit 1; }
"$BAZEL" build "${QUIET[@]}" //oci/private/cmd/imagetool //tests/repro/execlogdiff >/dev/null 2>&1
imagetool=$(out "$ROOT" //oci/private/cmd/imagetool)
execlogdiff=$(out "$ROOT" //tests/repro/execlogdiff)
mapfile -t A < <(layouts "$ROOT")

# --- B: another path, TZ, umask; builds everything itself, fills the remote cache ---
b="$work/b/src/rules_go_cross"
mkdir -p "${b%/*}"
start=$(date +%s)
(
  umask 0077
  export TZ=Pacific/Chatham
  git clone -q "$ROOT" "$b" && cd "$b" &&
    "$BAZEL" build "${REMOTE[@]}" --execution_log_json_file="$work/b.json" "${TARGETS[@]}" >"$work/b.log" 2>&1
) || { echo "FAIL: B does not build"; tail -20 "$work/b.log"; exit 1; }
echo "B: $b (TZ=Pacific/Chatham, umask 0077, no disk cache) built in $(($(date +%s) - start)) s: $(grep -E 'processes' "$work/b.log" | tail -1)"

status=0
mapfile -t B < <(layouts "$b")
for i in "${!TARGETS[@]}"; do
  read -r la da <<<"${A[$i]}"
  read -r lb db <<<"${B[$i]}"
  if "$imagetool" diff -a "$la" -b "$lb" >"$work/diff.txt" 2>&1 && cmp -s "$da" "$db"; then
    echo "reproducible: ${TARGETS[$i]} $(tr -d '\n' <"$da")"
  else
    echo "FAIL: ${TARGETS[$i]} differs between A and B:"
    cat "$work/diff.txt"
    status=1
  fi
done

# --- C: fresh output base, same remote cache: every cacheable action must be a hit ---
c="$work/c/rules_go_cross"
mkdir -p "${c%/*}"
start=$(date +%s)
(
  git clone -q "$ROOT" "$c" && cd "$c" &&
    "$BAZEL" build "${REMOTE[@]}" --execution_log_json_file="$work/c.json" "${TARGETS[@]}" >"$work/c.log" 2>&1
) || { echo "FAIL: C does not build"; tail -20 "$work/c.log"; exit 1; }
summary=$(grep -E '^INFO: [0-9]+ process' "$work/c.log" | tail -1)
echo "C: $c built in $(($(date +%s) - start)) s: $summary"
# "INFO: 212 processes: 150 remote cache hit, 62 internal." Anything else ran locally.
others=$(sed -E 's/^INFO: [0-9]+ process(es)?: //; s/\.$//' <<<"$summary" | tr ',' '\n' | grep -vE 'remote cache hit|internal' | sed 's/^ *//')
if [[ -n "$others" ]]; then
  echo "FAIL: not every action was a remote cache hit: $others"
  status=1
fi
if ! "$execlogdiff" -a "$work/b.json" -b "$work/c.json"; then
  status=1
fi
mapfile -t C < <(layouts "$c")
for i in "${!TARGETS[@]}"; do
  read -r _ da <<<"${A[$i]}"
  read -r _ dc <<<"${C[$i]}"
  if ! cmp -s "$da" "$dc"; then
    echo "FAIL: ${TARGETS[$i]}: digest in C $(cat "$dc" 2>&1) differs from A's $(cat "$da")"
    status=1
  fi
done
exit $status
