#!/usr/bin/env bash
# Our images read, copied, unpacked, run and scanned by tools nobody here wrote:
#   skopeo  (Debian)  inspects our layouts, copies both indexes (//examples/hello:index,
#                     //examples/cgo:index) to a registry on 127.0.0.1 and back into new
#                     layouts, and every image of them by digest: digests unchanged.
#   umoci   (Debian)  unpacks each of the 6 images into a runtime bundle; the entrypoint its
#                     config.json names runs in a chroot as the bundle's user (arm64 under
#                     Debian's static qemu-aarch64) and passes the example's -envcheck.
#   podman  (Debian)  loads the `docker load` tarball (//examples/hello:image_tarball): tag,
#                     image ID (= our config digest) and per-layer sizes; pulls the pushed
#                     index by tag (our digests); runs the image with runc.
#   crane   (Go)      validates the docker tarball (and rejects a corrupted copy), pushes our
#                     index layout (same digest) and validates the pushed index.
#   syft    (Go)      scans each image; its packages are compared with our SPDX SBOM
#                     (tests/interop/sbomcompare says what must match).
# Every step runs even when an earlier one failed; the script fails if any did.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT"
source "$ROOT/tests/internal/tools.sh"

need_debian skopeo=skopeo umoci=umoci podman=podman runc=runc qemu-aarch64-static=qemu-user-static jq=jq
CRANE=$(go_tool crane)
SYFT=$(go_tool syft)

with_workdir interop_test
work=$WORK
start_registry "$work/registry"

# The image's layout is asked for by name: when the tarball comes from a cache, Bazel does not
# fetch the layout it was made from.
"$BAZEL" build --output_groups=+digest,+sbom //examples/hello:index //examples/cgo:index //examples/hello:image \
  //examples/hello:image_tarball //tests/interop/sbomcompare
outs=$(bazel_files //examples/hello:index //examples/cgo:index //examples/hello:image_tarball //tests/interop/sbomcompare)
out() { grep -E "$1\$" <<<"$outs" || fail "no Bazel output matching $1 in: $outs"; }
declare -A LAYOUT=([hello]=$(out /examples/hello/index) [cgo]=$(out /examples/cgo/index))
TARBALL=$(out /examples/hello/image.tar)
HOST_IMAGE=${TARBALL%.tar} # the layout the tarball is made from (built above, in its configuration)
SBOMCOMPARE=$(out /sbomcompare)
mapfile -t SBOMS < <(bazel_outputs "$ROOT" --output_groups=sbom 'set(//examples/hello:index //examples/cgo:index)')
[[ ${#SBOMS[@]} -eq 6 ]] || fail "want 6 SBOMs of the index images, got: ${SBOMS[*]}"

sha() { sha256sum | awk '{print "sha256:" $1}'; }
# blob LAYOUT DIGEST: the path of a blob in an OCI layout.
blob() { echo "$1/blobs/sha256/${2#sha256:}"; }

# images INDEX: one line per image of our index layout: digest arch variant libc.
images() {
  local layout=${LAYOUT[$1]} top
  top=$(jq -r '.manifests[0].digest' "$layout/index.json")
  jq -r '.manifests[] | [.digest, .platform.architecture, (.platform.variant // "-"), .annotations["io.rules_go_cross.libc"]] | @tsv' "$(blob "$layout" "$top")"
}

step_skopeo() {
  local name layout built
  mkdir -p "$work/back" "$work/images"
  for name in hello cgo; do
    layout=${LAYOUT[$name]}
    built=$(tr -d '\n' <"$layout.digest")
    # inspect: skopeo reads our layout as the index we built, and each platform in it.
    [[ $(skopeo inspect --raw "oci:$layout" | sha) == "$built" ]] || fail "skopeo inspect --raw oci:$layout is not $built"
    local digest arch variant libc
    while read -r digest arch variant libc; do
      local args=(--override-os linux --override-arch "$arch")
      [[ "$variant" != - ]] && args+=(--override-variant "$variant")
      local got
      got=$(skopeo inspect "${args[@]}" "oci:$layout" | jq -r '[.Os, .Architecture, (.Layers | length)] | @tsv')
      [[ "$got" == "linux	$arch	2" ]] || fail "skopeo inspect oci:$layout for $arch: os, arch, layers = $got"
    done < <(images "$name")
    echo "skopeo inspect oci:$layout: index $built, $(images "$name" | wc -l) platforms"

    # copy to the registry and back, every image and the index, with digests preserved.
    local ref="docker://$REGISTRY/interop/$name"
    skopeo copy -q --all --preserve-digests --dest-tls-verify=false "oci:$layout" "$ref:v1"
    [[ $(skopeo inspect --raw --tls-verify=false "$ref:v1" | sha) == "$built" ]] || fail "the registry holds another index than $built for $ref:v1"
    skopeo copy -q --all --preserve-digests --src-tls-verify=false "$ref:v1" "oci:$work/back/$name:v1"
    [[ $(skopeo inspect --raw "oci:$work/back/$name:v1" | sha) == "$built" ]] || fail "the index copied back from $ref:v1 is not $built"
    while read -r digest arch variant libc; do
      [[ $(skopeo inspect --raw --tls-verify=false "$ref@$digest" | sha) == "$digest" ]] || fail "$ref@$digest in the registry has another digest"
      skopeo copy -q --preserve-digests --src-tls-verify=false "$ref@$digest" "oci:$work/images/$name-$arch-$libc:image"
      [[ $(skopeo inspect --raw "oci:$work/images/$name-$arch-$libc:image" | sha) == "$digest" ]] || fail "image $digest copied back into a layout changed its digest"
      echo "skopeo copy $name $arch $libc: $digest unchanged (layout -> registry -> layout)"
    done < <(images "$name")
    echo "skopeo copy --all $name: index $built unchanged (layout -> registry -> layout)"
  done
}

# bundle NAME ARCH LIBC: unpacks the image skopeo copied back with umoci, once.
bundle() {
  local dir="$work/bundles/$1-$2-$3"
  if [[ ! -d "$dir" ]]; then
    mkdir -p "$work/bundles"
    umoci unpack --image "$work/images/$1-$2-$3:image" "$dir" >/dev/null || fail "umoci unpack of $1 $2 $3 failed"
  fi
  echo "$dir"
}

step_umoci() {
  local chroot qemu name digest arch variant libc
  chroot=$(command -v chroot)
  qemu=$(command -v qemu-aarch64-static)
  for name in hello cgo; do
    while read -r digest arch variant libc; do
      local dir cfg user entry
      dir=$(bundle "$name" "$arch" "$libc")
      cfg="$dir/config.json"
      user=$(jq -r '"\(.process.user.uid):\(.process.user.gid)"' "$cfg")
      [[ "$user" == 65532:65532 ]] || fail "umoci bundle of $name $arch $libc runs as $user, want 65532:65532 (nonroot)"
      entry=$(jq -r '.process.args[0]' "$cfg")
      [[ -x "$dir/rootfs$entry" ]] || fail "the entrypoint $entry of $name $arch $libc is not an executable file in the bundle"
      mapfile -t env < <(jq -r '.process.env[]' "$cfg")
      [[ "$libc" != none ]] && env+=(GODEBUG=netdns=cgo) # resolve through the C library's NSS
      local argv=("$entry" -envcheck)
      if [[ "$arch" == arm64 ]]; then
        cp "$qemu" "$dir/rootfs/.qemu-aarch64"
        argv=(/.qemu-aarch64 "${argv[@]}")
      fi
      local out
      if ! out=$(cd / && env -i "${env[@]}" "$chroot" --userspec="$user" --groups="${user#*:}" "$dir/rootfs" "${argv[@]}" 2>&1); then
        echo "$out"
        fail "the entrypoint of the umoci bundle of $name $arch $libc failed"
      fi
      [[ $(grep -c '^envcheck ok ' <<<"$out") -eq 4 ]] || {
        echo "$out"
        fail "$name $arch $libc: -envcheck did not pass its 4 checks"
      }
      echo "umoci unpack $name $arch $libc: $entry -envcheck passes as $user"
    done < <(images "$name")
  done
}

step_podman() {
  local store="$work/podman" tag=localhost/bazel/examples/hello:image
  local podman=(podman --root "$store/root" --runroot "$store/run" --storage-driver vfs)
  local out config
  out=$("${podman[@]}" load -i "$TARBALL" 2>&1) || {
    echo "$out"
    fail "podman load -i $TARBALL failed"
  }
  grep -qx "Loaded image: $tag" <<<"$out" || fail "podman load printed: $out"
  # The image ID of a loaded image is its config digest: ours.
  local manifest
  manifest=$(jq -r '.manifests[0].digest' "$HOST_IMAGE/index.json")
  config=$(jq -r '.config.digest' "$(blob "$HOST_IMAGE" "$manifest")")
  local listed
  listed=$("${podman[@]}" images --format json | jq -r '.[] | [(.Names // [] | join(",")), .Id, .Size] | @tsv')
  echo "podman images: $listed"
  [[ $(wc -l <<<"$listed") -eq 1 ]] || fail "podman lists more than the one loaded image"
  local names id size
  IFS=$'\t' read -r names id size <<<"$listed"
  [[ "$names" == "$tag" ]] || fail "podman lists the image as $names, want $tag"
  [[ "sha256:$id" == "$config" ]] || fail "podman's image ID sha256:$id is not our config digest $config"
  # Layer sizes: podman's history shows each layer's uncompressed size.
  local want=() l
  for l in $(jq -r '.layers[].digest' "$(blob "$HOST_IMAGE" "$manifest")"); do
    want+=("$(gzip -dc "$(blob "$HOST_IMAGE" "$l")" | wc -c)")
  done
  local got
  mapfile -t got < <("${podman[@]}" history --format json "$tag" | jq -r 'reverse | .[].size')
  [[ "${got[*]}" == "${want[*]}" ]] || fail "podman history layer sizes ${got[*]}, want ${want[*]} (uncompressed, base first)"
  local layers=$((${want[0]} + ${want[1]}))
  # podman's image size adds the few KiB of metadata it stores (config, manifest).
  ((size >= layers && size - layers < 16384)) || fail "podman lists size $size; the layers are $layers bytes"
  echo "podman load: $tag, ID = config $config, layers ${got[*]} bytes, size $size"

  # The pushed index, pulled by tag: podman records our index and image digests.
  local built amd64
  built=$(tr -d '\n' <"${LAYOUT[hello]}.digest")
  amd64=$(images hello | awk '$2 == "amd64" {print $1}')
  "${podman[@]}" pull -q --tls-verify=false "$REGISTRY/interop/hello:v1" >/dev/null
  local digests
  digests=$("${podman[@]}" image inspect "$REGISTRY/interop/hello:v1" | jq -r '.[0].RepoDigests[]')
  grep -qx "$REGISTRY/interop/hello@$built" <<<"$digests" || fail "podman pull: RepoDigests $digests lack the index $built"
  grep -qx "$REGISTRY/interop/hello@$amd64" <<<"$digests" || fail "podman pull: RepoDigests $digests lack the amd64 image $amd64"
  echo "podman pull $REGISTRY/interop/hello:v1: index $built, image $amd64"

  # Run. This machine needs runc (crun 1.8 refuses cgroups v1+v2 hybrid hosts: "cgroups in
  # hybrid mode not supported") and limits within the current ones (podman's default
  # RLIMIT_NOFILE 1048576 needs CAP_SYS_RESOURCE, which this container lacks).
  local nofile nproc
  nofile=$(ulimit -Hn)
  nproc=$(ulimit -Hu)
  [[ "$nofile" == unlimited || "$nofile" -gt 1024 ]] && nofile=1024
  [[ "$nproc" == unlimited || "$nproc" -gt 1024 ]] && nproc=1024
  if ! out=$(timeout 120 "${podman[@]}" --runtime runc run --rm --network none \
    --ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc" "$tag" -envcheck 2>&1); then
    echo "$out"
    fail "podman run $tag -envcheck failed"
  fi
  [[ $(grep -c '^envcheck ok ' <<<"$out") -eq 4 ]] || {
    echo "$out"
    fail "podman run: -envcheck did not pass its 4 checks"
  }
  echo "podman run (runc) $tag -envcheck: 4 checks pass"
}

step_crane() {
  "$CRANE" validate --tarball "$TARBALL" >/dev/null || fail "crane validate --tarball $TARBALL"
  # The check reads the layers: a tarball with one byte of a layer changed must fail.
  local bad="$work/corrupt.tar"
  cp "$TARBALL" "$bad"
  python3 - "$bad" <<'PY'
import sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    m = next(m for m in t.getmembers() if m.name.endswith(".tar.gz"))
with open(sys.argv[1], "r+b") as f:
    f.seek(m.offset_data + m.size // 2)
    b = f.read(1)
    f.seek(-1, 1)
    f.write(bytes([b[0] ^ 0xFF]))
PY
  if "$CRANE" validate --tarball "$bad" >/dev/null 2>&1; then
    fail "crane validate accepted a tarball with a corrupted layer"
  fi
  echo "crane validate --tarball: ok, and a corrupted copy is rejected"

  local name built pushed
  for name in hello cgo; do
    built=$(tr -d '\n' <"${LAYOUT[$name]}.digest")
    pushed=$("$CRANE" push "${LAYOUT[$name]}" "$REGISTRY/crane/$name:v1" 2>/dev/null)
    [[ "$pushed" == "$REGISTRY/crane/$name@$built" ]] || fail "crane push of our layout printed $pushed, want $REGISTRY/crane/$name@$built"
    [[ $("$CRANE" digest "$REGISTRY/crane/$name:v1") == "$built" ]] || fail "crane digest $REGISTRY/crane/$name:v1 is not $built"
    "$CRANE" validate --remote "$REGISTRY/interop/$name:v1" >/dev/null || fail "crane validate --remote $REGISTRY/interop/$name:v1"
    echo "crane push $name layout: $built; crane validate --remote: ok"
  done
}

step_syft() {
  local name digest arch variant libc
  for name in hello cgo; do
    while read -r digest arch variant libc; do
      local sbom="" s entry dir
      for s in "${SBOMS[@]}"; do
        if [[ $(jq -r '.packages[] | select(.primaryPackagePurpose == "CONTAINER") | .versionInfo' "$s") == "$digest" ]]; then
          sbom=$s
        fi
      done
      [[ -n "$sbom" ]] || fail "no SBOM names image $digest"
      env SYFT_CHECK_FOR_APP_UPDATE=false SYFT_REGISTRY_INSECURE_USE_HTTP=true \
        "$SYFT" scan -q "registry:$REGISTRY/interop/$name@$digest" -o "syft-json=$work/syft-$name-$arch-$libc.json"
      dir=$(bundle "$name" "$arch" "$libc")
      entry=$(jq -r '.process.args[0]' "$dir/config.json")
      echo "syft $name $arch $libc ($digest) against $sbom:"
      "$SBOMCOMPARE" -syft "$work/syft-$name-$arch-$libc.json" -spdx "$sbom" -binary "$dir/rootfs$entry" ||
        fail "syft and the SBOM of $name $arch $libc disagree"
    done < <(images "$name")
  done
}

failed=()
for step in skopeo umoci podman crane syft; do
  echo "--- $step"
  if (step_$step); then
    echo "interop: $step ok"
  else
    echo "interop: $step FAILED"
    failed+=("$step")
  fi
done
[[ ${#failed[@]} -eq 0 ]] || fail "steps failed: ${failed[*]}"
echo "interop: skopeo, umoci, podman, crane and syft agree with our images"
