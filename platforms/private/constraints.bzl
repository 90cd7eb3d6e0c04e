"""The platform targets and constraints of rules_go_cross, and the musl build tag.

The table they are made from is the generated platforms.bzl (from the Go table in
platforms/platform).
"""

load(":platforms.bzl", "LIBCS", "PLATFORMS")

# rules_go's build tags setting, and the musl platforms as `str(Label)`, the form in which
# transitions see --platforms.
GO_TAGS = "@rules_go//go/config:tags"
_MUSL_PLATFORMS = [str(Label("//platforms:" + n)) for n, p in PLATFORMS.items() if p.libc == "musl"]

def with_musl_tag(platforms, tags):
    """The Go build tags for a build for `platforms`: `tags`, plus `musl` on a musl platform.

    Modules that ship code or prebuilt archives per libc select them with the `musl` build tag
    (and `!musl` for glibc); Go itself never sets it. Transitions of rules_go_cross call this.

    Args:
      platforms: the --platforms value (Labels or strings); the first one counts.
      tags: the current value of @rules_go//go/config:tags.

    Returns:
      A sorted list of tags without duplicates.
    """
    out = {t: None for t in tags}
    if platforms and str(Label(str(platforms[0]))) in _MUSL_PLATFORMS:
        out["musl"] = None
    return sorted(out.keys())

def musl_gotags(tags = []):
    """A `gotags` value for go_binary and go_test: `tags`, plus `musl` on the musl platforms.

    go_image, go_image_index and go_platform_binaries set the `musl` build tag themselves; a
    plain go_binary built with `--platforms=@rules_go_cross//platforms:linux_<arch>_musl` sees it
    only with this line (Bazel 7 has no flags per platform):

        go_binary(name = "app", ..., gotags = musl_gotags())

    Args:
      tags: other build tags of the binary (always set).

    Returns:
      A select() for the `gotags` attribute.
    """
    return select({
        Label("//platforms:musl"): tags + ["musl"],
        "//conditions:default": tags,
    })

def platform_constraints(name):
    """Returns the constraint value labels that platform `name` carries.

    Args:
      name: a key of PLATFORMS.

    Returns:
      A list of Labels: OS, CPU, rules_go's cgo constraint and, for cgo platforms, the libc.
    """
    if name not in PLATFORMS:
        fail("unknown platform %r: rules_go_cross defines %s" % (name, ", ".join(sorted(PLATFORMS.keys()))))
    p = PLATFORMS[name]
    constraints = [
        Label("@platforms//os:linux"),
        Label("@platforms//cpu:" + p.cpu),
        Label("@rules_go//go/toolchain:cgo_on" if p.cgo else "@rules_go//go/toolchain:cgo_off"),
    ]
    if p.libc != "none":
        constraints.append(Label("//platforms:" + p.libc))
    return constraints

# buildifier: disable=unnamed-macro
def define_platforms(visibility = ["//visibility:public"]):
    """Declares the libc constraint setting, its values and every platform of PLATFORMS.

    Call once, from platforms/BUILD.bazel.

    Args:
      visibility: visibility of the declared targets.
    """
    native.constraint_setting(
        name = "libc",
        visibility = visibility,
    )
    for libc in LIBCS:
        native.constraint_value(
            name = libc,
            constraint_setting = ":libc",
            visibility = visibility,
        )

    # No platform has this value: cgo_platforms_only() asks for it on platforms without a libc,
    # so that Bazel's "incompatible" message names what is missing.
    native.constraint_setting(
        name = "cgo_target",
        visibility = ["//visibility:private"],
    )
    native.constraint_value(
        name = "cgo_needs_a_musl_or_glibc_platform",
        constraint_setting = ":cgo_target",
        visibility = visibility,
    )

    # The host, with cgo off: tools built for the host or the execution platform (Go's builder,
    # gazelle, the zig launcher, host tests) never need a C compiler.
    native.platform(
        name = "host",
        parents = ["@local_config_platform//:host"],
        constraint_values = [Label("@rules_go//go/toolchain:cgo_off")],
        visibility = visibility,
    )
    for name in PLATFORMS:
        native.platform(
            name = name,
            constraint_values = platform_constraints(name),
            visibility = visibility,
        )
