#!/usr/bin/env bash
# Every Go tool the example matrix runs in the execution configuration (imagetool, linkmode, the
# launcher) is compiled and linked once: a setting that leaks from a target
# configuration into the execution configuration (the musl build tag did, through the image of a
# go_image_index) makes Bazel build a second copy of the tool and of every package under it.
# Reads the action graph with `bazel aquery`; builds nothing.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT"
TARGETS='//examples/hello:index + //examples/cgo:index + //tests/cgo:cgo_test + //tests/images:images_test'
out=$(tools/bazel aquery --output=text "mnemonic('GoLink|GoToolchainBinaryBuild|GoToolBuild', deps($TARGETS))" 2>/dev/null) || {
  echo "FAIL: bazel aquery failed"
  exit 1
}
# "Outputs: [bazel-out/k8-opt-exec-ST-xxxx/bin/oci/private/cmd/imagetool/imagetool_/imagetool]"
status=0
seen=$(sed -nE 's|^ *Outputs: \[bazel-out/([^/]*-exec[^/]*)/bin/([^],]*)[],].*|\1 \2|p' <<<"$out")
[[ -n "$seen" ]] || {
  echo "FAIL: no tool linked in an execution configuration was found (the query or its parsing is wrong)"
  exit 1
}
for tool in oci/private/cmd/imagetool go/cmd/linkmode; do
  grep -q " $tool/" <<<"$seen" || {
    echo "FAIL: $tool is not linked in any execution configuration"
    status=1
  }
done
dups=$(awk '{ sub(/^[^ ]* /, "") } { n[$0]++ } END { for (t in n) if (n[t] > 1) print t }' <<<"$seen")
# rules_go's builder is linked once per glibc version (its C toolchain's settings differ): allowed.
dups=$(grep -vE '(^|/)builder$' <<<"$dups")
if [[ -n "$dups" ]]; then
  echo "FAIL: these tools are linked in more than one execution configuration:"
  while read -r t; do grep " $t\$" <<<"$seen" | sed 's/^/  /'; done <<<"$dups"
  echo "A target-configuration setting leaks into the execution configuration; compare them with 'bazel config'."
  status=1
else
  echo "each tool linked once: $(awk '{print $2}' <<<"$seen" | sort -u | tr '\n' ' ')"
fi
exit $status
