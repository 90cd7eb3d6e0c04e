"""Declares one zig cc toolchain per target triple (called from toolchains/private/BUILD.bazel)."""

load("@rules_cc//cc:defs.bzl", "cc_toolchain")
load(":cc_toolchain_config.bzl", "no_cc_toolchain_config", "zig_cc_toolchain_config", "zig_launcher_dir")
load(":runtime.bzl", "zig_runtime")
load(":targets.bzl", "TARGETS")

def _cc_toolchain(name, files, config, **kwargs):
    """A cc_toolchain whose compile, link and archive actions all get `files`."""
    cc_toolchain(
        name = name,
        all_files = files,
        ar_files = files,
        as_files = files,
        compiler_files = files,
        dwp_files = ":empty",
        linker_files = files,
        objcopy_files = ":empty",
        strip_files = ":empty",
        toolchain_config = config,
        visibility = ["//visibility:public"],
        tags = ["manual"],
        **kwargs
    )

# buildifier: disable=unnamed-macro
def declare_zig_cc_toolchains():
    """For each triple: the C runtime, the launcher directory, the toolchain config and the cc_toolchain.

    All of them are `manual`: toolchain resolution builds them in the execution configuration,
    and `bazel build //...` must not build a second copy in the target configuration (a C
    runtime costs minutes of compiling).
    """
    native.filegroup(name = "empty", srcs = [])
    no_cc_toolchain_config(name = "config_none")
    _cc_toolchain(name = "cc_none", files = ":empty", config = ":config_none")
    for triple, t in TARGETS.items():
        zig_runtime(name = "runtime_" + triple, triple = triple, tags = ["manual"])
        zig_launcher_dir(name = "launcher_" + triple, triple = triple, runtime = ":runtime_" + triple, tags = ["manual"])
        native.filegroup(
            name = "files_" + triple,
            srcs = [
                ":launcher_" + triple,
                "@zig_sdk//:zig",
                "@zig_sdk//:lib",
            ],
            tags = ["manual"],
        )
        zig_cc_toolchain_config(
            name = "config_" + triple,
            launcher = ":launcher_" + triple,
            cpu = t.bazel_cpu,
            libc = t.libc,
            tags = ["manual"],
        )
        _cc_toolchain(
            name = "cc_" + triple,
            files = ":files_" + triple,
            config = ":config_" + triple,
            supports_param_files = 0,
        )
