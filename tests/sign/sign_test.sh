#!/usr/bin/env bash
# Signing and attestations, as a user does them: `bazel run //examples/hello:sign` pushes the
# hello index to a registry on 127.0.0.1 and signs it with cosign (key pair made here, no
# transparency log); then cosign, on its own, checks:
#   - `cosign verify` of the tag and of every image digest passes with the public key, and
#     names the digest Bazel built; another key's public half is refused;
#   - `cosign verify-attestation --type spdxjson` gives back our SBOM of each image;
#   - `--type slsaprovenance1` gives back our provenance of each image with the source
#     revision (git HEAD) added: target, platform, builder, lock file sha256, Go toolchain;
#   - another image pushed under the same tag fails `cosign verify` and
#     `verify-attestation` ("no signatures found"), while the signed digest still verifies.
# And the errors a user meets: no --key, a missing key file, no cosign, a registry that is
# not there (a relative --key is found from the directory bazel run was started in).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT"
source "$ROOT/tests/internal/tools.sh"

need_debian skopeo=skopeo jq=jq
COSIGN=$(go_tool cosign)

with_workdir sign_test
work=$WORK
start_registry "$work/registry"

export COSIGN_PASSWORD=rules_go_cross-sign-test
(cd "$work" && "$COSIGN" generate-key-pair --output-key-prefix release >/dev/null 2>&1 &&
  "$COSIGN" generate-key-pair --output-key-prefix other >/dev/null 2>&1)

"$BAZEL" build --output_groups=+digest,+sbom,+provenance //examples/hello:sign //examples/hello:index //examples/cgo:index
outs=$(bazel_files //examples/hello:sign //examples/hello:index //examples/cgo:index)
out() { grep -E "$1\$" <<<"$outs" || fail "no Bazel output matching $1 in: $outs"; }
script=$(out /sign.sh)
index=$(out /examples/hello/index)
cgo_index=$(out /examples/cgo/index)
built=$(tr -d '\n' <"$index.digest")
mapfile -t provs < <(bazel_outputs "$ROOT" --output_groups=provenance //examples/hello:index)
mapfile -t sboms < <(bazel_outputs "$ROOT" --output_groups=sbom //examples/hello:index)
[[ ${#provs[@]} -eq 2 && ${#sboms[@]} -eq 2 ]] || fail "want 2 provenance statements and 2 SBOMs, got ${provs[*]} ${sboms[*]}"
repo="$REGISTRY/signed/hello"

# --- What a user gets wrong. The run script exactly as `bazel run` starts it.
user_error() { # user_error WANT ARGS...: the sign target fails and says WANT
  local want=$1 msg
  shift
  if msg=$(cd "$script.runfiles" && env -i PATH=/usr/bin:/bin COSIGN_PASSWORD="$COSIGN_PASSWORD" \
    BUILD_WORKING_DIRECTORY="$work" BUILD_WORKSPACE_DIRECTORY="$ROOT" "$script" "$@" 2>&1); then
    fail "sign $* succeeded; want an error saying: $want"
  fi
  grep -qF -- "$want" <<<"$msg" || fail "sign $*: the error does not say '$want':
$msg"
  echo "user error, as expected: $(grep -F -- "$want" <<<"$msg" | head -1)"
}
user_error "no --key: give the cosign private key" --insecure "$repo:v1"
user_error "--key missing.key: stat" --key missing.key --insecure "$repo:v1"
user_error "cosign not found: no --cosign" --key release.key --insecure "$repo:v1"
user_error "cannot reach the registry of 127.0.0.1:1/signed/hello:v1" --key release.key --cosign "$COSIGN" --insecure 127.0.0.1:1/signed/hello:v1

# --- Sign: the user's command.
pushed=$(RULES_GO_CROSS_COSIGN="$COSIGN" "$BAZEL" run --ui_event_filters=-info --noshow_progress \
  //examples/hello:sign -- --key "$work/release.key" --insecure "$repo:v1" | tail -1)
[[ "$pushed" == "$repo@$built" ]] || fail "sign printed $pushed, want $repo@$built (the digest Bazel built)"
echo "signed: $pushed"

verify() { "$COSIGN" verify --key "$work/release.pub" --insecure-ignore-tlog=true "$@" 2>"$work/verify.err"; }
attestation() { # attestation TYPE REF: the verified in-toto statement
  "$COSIGN" verify-attestation --key "$work/release.pub" --insecure-ignore-tlog=true --type "$1" "$2" 2>"$work/verify.err" |
    jq -s -e 'length == 1' >/dev/null || fail "verify-attestation --type $1 $2 did not give exactly one attestation: $(cat "$work/verify.err")"
  "$COSIGN" verify-attestation --key "$work/release.pub" --insecure-ignore-tlog=true --type "$1" "$2" 2>/dev/null |
    jq -r .payload | base64 -d
}

# --- Signatures: the tag, the index digest and every image digest.
[[ $(verify "$repo:v1" | jq -r '.[0].critical.image["docker-manifest-digest"]') == "$built" ]] ||
  fail "cosign verify $repo:v1 did not pass for $built: $(cat "$work/verify.err")"
top=$(jq -r '.manifests[0].digest' "$index/index.json")
mapfile -t images < <(jq -r '.manifests[].digest' "$index/blobs/sha256/${top#sha256:}")
[[ ${#images[@]} -eq 2 ]] || fail "the hello index has ${#images[@]} images, want 2"
for img in "${images[@]}"; do
  [[ $(verify "$repo@$img" | jq -r '.[0].critical.image["docker-manifest-digest"]') == "$img" ]] ||
    fail "cosign verify $repo@$img: $(cat "$work/verify.err")"
done
if "$COSIGN" verify --key "$work/other.pub" --insecure-ignore-tlog=true "$repo:v1" >/dev/null 2>"$work/other.err"; then
  fail "cosign verify accepted the signature with another key"
fi
grep -q "no matching signatures" "$work/other.err" || fail "verify with another key: $(cat "$work/other.err")"
echo "cosign verify: the index and its ${#images[@]} images; another key is refused ($(grep -o 'no matching signatures.*' "$work/other.err" | head -1))"

# --- Attestations of each image: our SBOM and our provenance, plus the source revision.
head=$(git -C "$ROOT" rev-parse HEAD)
dirty=false
[[ -n $(git -C "$ROOT" status --porcelain --untracked-files=no) ]] && dirty=true
lock_sha=$(sha256sum "$ROOT/oci/bases/debian13.lock.json" | cut -d' ' -f1)
version=$(sed -n 's/^ *version = "\(.*\)",$/\1/p' "$ROOT/MODULE.bazel" | head -1)
for img in "${images[@]}"; do
  sbom="" prov=""
  for f in "${sboms[@]}"; do
    [[ $(jq -r '.packages[] | select(.primaryPackagePurpose == "CONTAINER") | .versionInfo' "$f") == "$img" ]] && sbom=$f
  done
  for f in "${provs[@]}"; do
    [[ "sha256:$(jq -r '.subject[0].digest.sha256' "$f")" == "$img" ]] && prov=$f
  done
  [[ -n "$sbom" && -n "$prov" ]] || fail "no SBOM or provenance of $img among ${sboms[*]} ${provs[*]}"

  st=$(attestation spdxjson "$repo@$img")
  [[ $(jq -r '.subject[0].digest.sha256' <<<"$st") == "${img#sha256:}" ]] || fail "the SBOM attestation is about $(jq -c .subject <<<"$st"), not $img"
  diff <(jq -S .predicate <<<"$st") <(jq -S . "$sbom") || fail "the attested SBOM of $img differs from $sbom"

  st=$(attestation slsaprovenance1 "$repo@$img")
  p=$(jq .predicate <<<"$st")
  [[ $(jq -r .predicateType <<<"$st") == https://slsa.dev/provenance/v1 ]] || fail "provenance predicateType $(jq -r .predicateType <<<"$st")"
  [[ $(jq -r '.subject[0].digest.sha256' <<<"$st") == "${img#sha256:}" ]] || fail "the provenance is about $(jq -c .subject <<<"$st"), not $img"
  expect() { # expect JQ_EXPR WANT
    local got
    got=$(jq -r "$1" <<<"$p")
    [[ "$got" == "$2" ]] || fail "provenance of $img: $1 is '$got', want '$2'"
  }
  expect .buildDefinition.externalParameters.target "@@//examples/hello:image"
  expect '.buildDefinition.externalParameters.platform | test("^@@//platforms:linux_(amd64|arm64)$")' true
  expect .buildDefinition.externalParameters.source.digest.gitCommit "$head"
  expect '.buildDefinition.externalParameters.source.annotations.dirty // false' "$dirty"
  expect '.buildDefinition.resolvedDependencies[0].digest.gitCommit' "$head"
  expect '.buildDefinition.resolvedDependencies[] | select(.name == "@@//oci/bases:debian13.lock.json") | .digest.sha256' "$lock_sha"
  expect '[.buildDefinition.resolvedDependencies[] | select(.uri == "pkg:golang/stdlib@1.26.8")] | length' 1
  expect '[.buildDefinition.resolvedDependencies[] | select((.uri // "") | startswith("pkg:deb/debian/tzdata@"))] | length' 1
  expect .runDetails.builder.id https://github.com/rules-go-cross/rules_go_cross/go_image
  expect .runDetails.builder.version.rules_go_cross "$version"
  expect '.runDetails.byproducts[0].digest.sha256' "$(sha256sum "$sbom" | cut -d' ' -f1)"
  # Everything else is the statement Bazel built; cosign only adds an empty runDetails.metadata
  # when it re-serializes the predicate.
  diff <(jq -S 'del(.buildDefinition.externalParameters.source) | .buildDefinition.resolvedDependencies |= .[1:]
      | if .runDetails.metadata == {} then del(.runDetails.metadata) else . end' <<<"$p") \
    <(jq -S .predicate "$prov") || fail "the attested provenance of $img differs from $prov beyond the source revision"
  echo "cosign verify-attestation $img: the SBOM $sbom and the provenance $prov, with source $head"
done

# --- Another image under the same tag: verification fails, the signed digest still verifies.
skopeo copy -q --all --preserve-digests --dest-tls-verify=false "oci:$cgo_index" "docker://$repo:v1"
tampered=$(skopeo inspect --raw --tls-verify=false "docker://$repo:v1" | sha256sum | cut -d' ' -f1)
[[ "sha256:$tampered" != "$built" ]] || fail "the tag still names $built after pushing the cgo index under it"
if verify "$repo:v1" >/dev/null; then
  fail "cosign verify passed for $repo:v1 although another image (sha256:$tampered) was pushed under the tag"
fi
grep -q "no signatures found" "$work/verify.err" || fail "cosign verify of the tampered tag failed without saying why: $(cat "$work/verify.err")"
why=$(grep -o 'Error: .*' "$work/verify.err" | head -1)
if "$COSIGN" verify-attestation --key "$work/release.pub" --insecure-ignore-tlog=true --type slsaprovenance1 "$repo:v1" >/dev/null 2>"$work/att.err"; then
  fail "cosign verify-attestation passed for the tampered tag"
fi
grep -qE "no matching attestations|no signatures found" "$work/att.err" || fail "verify-attestation of the tampered tag: $(cat "$work/att.err")"
verify "$repo@$built" >/dev/null || fail "the signed digest $built no longer verifies: $(cat "$work/verify.err")"
echo "tampered tag (sha256:$tampered under v1): cosign verify fails ($why); $repo@$built still verifies"
