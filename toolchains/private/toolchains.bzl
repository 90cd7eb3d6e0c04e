"""Declares one zig cc toolchain per target triple (called from toolchains/private/BUILD.bazel)."""

load("@rules_cc//cc:defs.bzl", "cc_toolchain")

# The platform table (generated from the Go table, platforms/platform) is platforms/'s; it is
# internal to this module.
# buildifier: disable=bzl-visibility
load("//platforms/private:platforms.bzl", "ZIG_TARGETS")
load(":cc_toolchain_config.bzl", "no_cc_toolchain_config", "zig_cc_toolchain_config", "zig_launcher_dir")
load(":runtime.bzl", "zig_runtime")

def _cc_toolchain(name, tools, files, config, **kwargs):
    """A cc_toolchain whose compiles and archives get `tools`, and links (and rules_go's cgo actions, which use all_files) `files`."""
    cc_toolchain(
        name = name,
        all_files = files,
        ar_files = tools,
        as_files = tools,
        compiler_files = tools,
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
    """For each triple: the two parts of the C runtime, the launcher directory, the toolchain config and the cc_toolchain.

    All of them are `manual`: toolchain resolution builds them in the execution configuration,
    and `bazel build //...` must not build a second copy in the target configuration (a C
    runtime costs minutes of compiling).
    """
    native.filegroup(name = "empty", srcs = [])
    no_cc_toolchain_config(name = "config_none")
    _cc_toolchain(name = "cc_none", tools = ":empty", files = ":empty", config = ":config_none")
    for triple, t in ZIG_TARGETS.items():
        for part in ["c", "c++"]:
            zig_runtime(name = "runtime_%s_%s" % (part, triple), part = part, triple = triple, tags = ["manual"])
        zig_launcher_dir(
            name = "launcher_" + triple,
            triple = triple,
            goarch = t.goarch,
            runtimes = [":runtime_c_" + triple, ":runtime_c++_" + triple],
            tags = ["manual"],
        )
        native.filegroup(
            name = "tools_" + triple,
            srcs = [
                ":launcher_" + triple,
                "@zig_sdk//:zig",
                "@zig_sdk//:lib",
            ],
            tags = ["manual"],
        )
        native.filegroup(
            name = "runtime_files_" + triple,
            srcs = [":launcher_" + triple],
            output_group = "runtime",
            tags = ["manual"],
        )
        native.filegroup(
            name = "files_" + triple,
            srcs = [":tools_" + triple, ":runtime_files_" + triple],
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
            tools = ":tools_" + triple,
            files = ":files_" + triple,
            config = ":config_" + triple,
            supports_param_files = 0,
        )
