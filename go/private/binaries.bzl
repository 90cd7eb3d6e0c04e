"""Implementation of go_platform_binaries."""

load("@rules_go//go:def.bzl", "go_cross_binary")
load("//platforms:defs.bzl", "PLATFORMS")

def go_platform_binaries(name, binary, platforms, **kwargs):
    """Builds `binary` for each platform in `platforms`.

    Creates `<name>_<platform>` (a go_cross_binary) per platform and a filegroup `<name>` with all
    of them.

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
            name = "%s_%s" % (name, p),
            target = binary,
            platform = Label("//platforms:" + p),
            **kwargs
        )
        targets.append(":%s_%s" % (name, p))
    native.filegroup(
        name = name,
        srcs = targets,
        **kwargs
    )
