"""Public entry point of the zig cc toolchains: the `zig` module extension.

    zig = use_extension("@rules_go_cross//toolchains:extensions.bzl", "zig")
    zig.toolchain(version = "0.11.0")  # optional; url/sha256/strip_prefix for mirrors
"""

load("//toolchains/private:extension.bzl", _zig = "zig")

zig = _zig
