"""Public API of //platforms: the table of target platforms and their constraints."""

load("//platforms/private:platforms.bzl", _LIBCS = "LIBCS", _PLATFORMS = "PLATFORMS", _platform_constraints = "platform_constraints")

PLATFORMS = _PLATFORMS
LIBCS = _LIBCS
platform_constraints = _platform_constraints

def cgo_platforms_only():
    """A `target_compatible_with` value: only platforms with a libc (the cgo platforms).

    Use it on cgo targets so that `bazel build //...` for the host or a pure platform skips them
    instead of failing for want of a C toolchain. Asked for explicitly on such a platform, the
    target fails with Bazel's "incompatible" error naming the constraint
    `cgo_needs_a_musl_or_glibc_platform` and the platform.

    Returns:
      A select() for target_compatible_with.
    """
    return select({
        Label("//platforms:musl"): [],
        Label("//platforms:glibc"): [],
        "//conditions:default": [Label("//platforms:cgo_needs_a_musl_or_glibc_platform")],
    })
