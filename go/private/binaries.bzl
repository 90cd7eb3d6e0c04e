"""Implementation of go_platform_binaries and go_glibc_binary."""

load("@rules_go//go:def.bzl", "GoArchive")
load("//platforms:defs.bzl", "PLATFORMS")
load("//platforms:transitions.bzl", "to_platform")
load(":cgo_stubs.bzl", "CgoStubsInfo", "STUB_CHECK_ATTRS", "cgo_stubs_aspect", "stub_check")

def _checked_binary_impl(ctx):
    p = ctx.attr.platform_name
    binary = ctx.attr.binary[0]  # a list: the attribute has a Starlark transition
    report = stub_check(
        ctx,
        "go_platform_binaries " + str(ctx.label),
        ctx.attr.go_binary,
        Label("//platforms:" + p),
        PLATFORMS[p].cpu,
        binary[CgoStubsInfo],
    )
    old = binary[DefaultInfo]
    out = ctx.actions.declare_file(ctx.label.name)
    ctx.actions.symlink(output = out, target_file = old.files_to_run.executable, is_executable = True)
    groups = {}
    if OutputGroupInfo in binary:
        og = binary[OutputGroupInfo]
        groups = {k: getattr(og, k) for k in dir(og) if type(getattr(og, k)) == "depset"}
    validation = [groups.pop("_validation")] if "_validation" in groups else []
    return [
        DefaultInfo(files = depset([out]), runfiles = old.default_runfiles, executable = out),
        OutputGroupInfo(
            _validation = depset([report] if report else [], transitive = validation),
            **groups
        ),
    ] + ([binary[GoArchive]] if GoArchive in binary else [])

_checked_binary = rule(
    implementation = _checked_binary_impl,
    doc = "A binary built for one platform of the table (musl tag on musl), refused when a package with C code in its graph was compiled with cgo off.",
    attrs = {
        "binary": attr.label(mandatory = True, executable = True, cfg = to_platform, aspects = [cgo_stubs_aspect]),
        "platform": attr.label(mandatory = True, doc = "The platform: //platforms:<platform_name>."),
        "platform_name": attr.string(mandatory = True),
        "go_binary": attr.string(mandatory = True, doc = "The user's go_binary, for messages."),
        "_allowlist_function_transition": attr.label(default = "@bazel_tools//tools/allowlists/function_transition_allowlist"),
    } | STUB_CHECK_ATTRS,
    executable = True,
)

def go_platform_binaries(name, binary, platforms, **kwargs):
    """Builds `binary` for each platform in `platforms`.

    Creates `<name>_<platform>` per platform and a filegroup `<name>` with all of them. Each is the
    binary built for the platform (its libc constraint included, which go_binary's goos/goarch
    would drop) and, on musl, with the `musl` build tag. Each fails to build, naming the packages,
    when a package of the binary's graph has C code and the platform has cgo off (it would be
    compiled as its pure-Go stub); see `no_cgo_stubs`.

    Args:
      name: prefix of the targets, and name of the filegroup.
      binary: label of a go_binary.
      platforms: names of rules_go_cross platforms (keys of //platforms:defs.bzl PLATFORMS),
        for example ["linux_amd64", "linux_arm64_musl"].
      **kwargs: common attributes (tags, visibility, testonly).
    """
    if not platforms:
        fail("go_platform_binaries(%s): platforms is empty; name at least one of %s" % (name, ", ".join(PLATFORMS.keys())))
    targets = []
    for p in platforms:
        if p not in PLATFORMS:
            fail("go_platform_binaries(%s): unknown platform %r; rules_go_cross defines %s" % (name, p, ", ".join(PLATFORMS.keys())))
        _checked_binary(
            name = "%s_%s" % (name, p),
            binary = binary,
            platform = Label("//platforms:" + p),
            platform_name = p,
            go_binary = str(native.package_relative_label(binary)),
            **kwargs
        )
        targets.append(":%s_%s" % (name, p))
    native.filegroup(
        name = name,
        srcs = targets,
        **kwargs
    )

_GLIBC_VERSION = str(Label("//toolchains:glibc_version"))

def _glibc_transition_impl(settings, attr):
    return {
        "//command_line_option:platforms": str(attr.platform),
        _GLIBC_VERSION: attr.glibc_version or settings[_GLIBC_VERSION],
    }

_glibc_transition = transition(
    implementation = _glibc_transition_impl,
    inputs = [_GLIBC_VERSION],
    outputs = ["//command_line_option:platforms", _GLIBC_VERSION],
)

def _go_glibc_binary_impl(ctx):
    src = ctx.attr.binary[0][DefaultInfo].files_to_run.executable
    out = ctx.actions.declare_file(ctx.label.name)
    ctx.actions.symlink(output = out, target_file = src, is_executable = True)
    return [DefaultInfo(executable = out, files = depset([out]))]

go_glibc_binary = rule(
    implementation = _go_glibc_binary_impl,
    doc = """Builds `binary` for a glibc `platform` against a given glibc version.

Equivalent to `--platforms=<platform> --@rules_go_cross//toolchains:glibc_version=<version>`
for one target: for example a binary that must start on a distribution with glibc 2.17.""",
    attrs = {
        "binary": attr.label(
            mandatory = True,
            cfg = _glibc_transition,
            executable = True,
            doc = "A go_binary (or any executable) to build for `platform` and `glibc_version`.",
        ),
        "platform": attr.label(mandatory = True, doc = "A glibc platform, e.g. //platforms:linux_amd64_glibc."),
        "glibc_version": attr.string(doc = "glibc version to link against, a value of //toolchains:glibc_version (2.17 ... 2.36); empty: that flag's value (default 2.28)."),
        "_allowlist_function_transition": attr.label(default = "@bazel_tools//tools/allowlists/function_transition_allowlist"),
    },
    executable = True,
)
