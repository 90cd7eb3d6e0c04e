"""Declares one zig cc toolchain per target triple (called from toolchains/private/BUILD.bazel)."""

load("@rules_cc//cc:defs.bzl", "cc_toolchain")
load(":cc_toolchain_config.bzl", "no_cc_toolchain_config", "zig_cc_toolchain_config", "zig_launcher_dir")
load(":extension.bzl", "TARGETS")

# buildifier: disable=unnamed-macro
def declare_zig_cc_toolchains():
    """For each triple: the launcher directory, the toolchain config and the cc_toolchain."""
    native.filegroup(name = "empty", srcs = [])
    no_cc_toolchain_config(name = "config_none")
    cc_toolchain(
        name = "cc_none",
        all_files = ":empty",
        ar_files = ":empty",
        as_files = ":empty",
        compiler_files = ":empty",
        dwp_files = ":empty",
        linker_files = ":empty",
        objcopy_files = ":empty",
        strip_files = ":empty",
        toolchain_config = ":config_none",
        visibility = ["//visibility:public"],
    )
    for triple, (cpu, libc) in TARGETS.items():
        zig_launcher_dir(name = "launcher_" + triple, triple = triple)
        native.filegroup(
            name = "files_" + triple,
            srcs = [
                ":launcher_" + triple,
                "@zig_sdk//:zig",
                "@zig_sdk//:lib",
            ],
        )
        zig_cc_toolchain_config(
            name = "config_" + triple,
            launcher = ":launcher_" + triple,
            cpu = {"x86_64": "k8", "aarch64": "aarch64"}[cpu],
            libc = libc,
        )
        cc_toolchain(
            name = "cc_" + triple,
            all_files = ":files_" + triple,
            ar_files = ":files_" + triple,
            as_files = ":files_" + triple,
            compiler_files = ":files_" + triple,
            dwp_files = ":empty",
            linker_files = ":files_" + triple,
            objcopy_files = ":empty",
            strip_files = ":empty",
            supports_param_files = 0,
            toolchain_config = ":config_" + triple,
            visibility = ["//visibility:public"],
        )
