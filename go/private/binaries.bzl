"""Implementation of go_platform_binaries and go_glibc_binary."""

load("@rules_go//go:def.bzl", "GoArchive", "go_cross_binary")
load("//platforms:defs.bzl", "PLATFORMS")
load(":cgo_stubs.bzl", "CgoStubsInfo", "STUB_CHECK_ATTRS", "cgo_stubs_aspect", "stub_check")

def _checked_binary_impl(ctx):
    p = ctx.attr.platform_name
    report = stub_check(
        ctx,
        "go_platform_binaries " + str(ctx.label),
        ctx.attr.go_binary,
        Label("//platforms:" + p),
        PLATFORMS[p].cpu,
        ctx.attr.binary[CgoStubsInfo],
    )
    old = ctx.attr.binary[DefaultInfo]
    out = ctx.actions.declare_file(ctx.label.name)
    ctx.actions.symlink(output = out, target_file = old.files_to_run.executable, is_executable = True)
    groups = {}
    if OutputGroupInfo in ctx.attr.binary:
        og = ctx.attr.binary[OutputGroupInfo]
        groups = {k: getattr(og, k) for k in dir(og) if type(getattr(og, k)) == "depset"}
    validation = [groups.pop("_validation")] if "_validation" in groups else []
    return [
        DefaultInfo(files = depset([out]), runfiles = old.default_runfiles, executable = out),
        OutputGroupInfo(
            _validation = depset([report] if report else [], transitive = validation),
            **groups
        ),
    ] + ([ctx.attr.binary[GoArchive]] if GoArchive in ctx.attr.binary else [])

_checked_binary = rule(
    implementation = _checked_binary_impl,
    doc = "A go_cross_binary, refused when a package with C code in its graph was compiled with cgo off.",
    attrs = {
        "binary": attr.label(mandatory = True, executable = True, cfg = "target", aspects = [cgo_stubs_aspect]),
        "platform_name": attr.string(mandatory = True),
        "go_binary": attr.string(mandatory = True, doc = "The user's go_binary, for messages."),
    } | STUB_CHECK_ATTRS,
    executable = True,
)

def go_platform_binaries(name, binary, platforms, **kwargs):
    """Builds `binary` for each platform in `platforms`.

    Creates `<name>_<platform>` per platform (rules_go's go_cross_binary, checked) and a filegroup
    `<name>` with all of them. Each fails to build, naming the packages, when a package of the
    binary's graph has C code and the platform has cgo off (it would be compiled as its pure-Go
    stub); see `no_cgo_stubs`.

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
        go_cross_binary(
            name = "_%s_%s" % (name, p),
            target = binary,
            platform = Label("//platforms:" + p),
            visibility = ["//visibility:private"],
            tags = ["manual"],
            testonly = kwargs.get("testonly"),
        )
        _checked_binary(
            name = "%s_%s" % (name, p),
            binary = ":_%s_%s" % (name, p),
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
