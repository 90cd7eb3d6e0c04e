"""The prebuilt C runtime of a zig cc toolchain: Zig's libc pieces as an ordinary Bazel output."""

load("@bazel_skylib//rules:common_settings.bzl", "BuildSettingInfo")

_GLIBC_VERSION = str(Label("//toolchains:glibc_version"))

# rules_go's go_transition records the value a go_binary's attribute (gotags, pure, ...) replaced
# in these settings; they reach the execution configuration and would give the C toolchain a copy
# per value. Reset as rules_go's own tool transitions do.
RULES_GO_RESETS = {
    "@rules_go//go/private:request_nogo": False,
    "@rules_go//go/config:tags": [],
} | {
    "@rules_go//go/private/rules:original_" + name: ""
    for name in ["static", "msan", "race", "pure", "linkmode", "tags", "pgoprofile"]
}

def _launcher_transition_impl(_settings, _attr):
    return RULES_GO_RESETS | {_GLIBC_VERSION: "2.28"}

# The launcher is one program for every triple and glibc version (launcher.cfg says which), so
# one copy, built with rules_go's and our settings at their defaults, serves all the toolchains
# and runtimes. Its users (zig_runtime, zig_launcher_dir) are built in the execution
# configuration by toolchain resolution, so the launcher is too.
launcher_transition = transition(
    implementation = _launcher_transition_impl,
    inputs = [],
    outputs = RULES_GO_RESETS.keys() + [_GLIBC_VERSION],
)

def zig_triple(triple, glibc_version):
    """The full zig target triple: glibc triples get the glibc version appended.

    Args:
      triple: a key of ZIG_TARGETS (//platforms/private:platforms.bzl), e.g. "x86_64-linux-gnu".
      glibc_version: the //toolchains:glibc_version value, e.g. "2.28".

    Returns:
      e.g. "x86_64-linux-gnu.2.28", or the triple itself for musl.
    """
    if triple.endswith("-gnu"):
        return triple + "." + glibc_version
    return triple

_PROBE_C = """\
#include <stdio.h>
#include <pthread.h>
int main(void) { return printf("%lu\\n", (unsigned long)pthread_self()) < 0; }
"""

_PROBE_CXX = """\
#include <iostream>
#include <string>
#include <vector>
#include <stdexcept>
int probe() {
    std::vector<std::string> v{"a", "bc"};
    try { throw std::runtime_error(v[1]); } catch (const std::exception &e) { std::cout << e.what() << std::endl; }
    return (int)v.size();
}
int main() { return probe() != 2; }
"""

# The exec group of the ZigRuntime actions, minutes of CPU each where a compile takes seconds. An
# execution platform gives them their own exec properties with keys prefixed by its name, for
# example `exec_properties = {"zig_runtime.Pool": "large"}` (README, "Remote execution").
ZIG_RUNTIME_EXEC_GROUP = "zig_runtime"

ZigRuntimeInfo = provider(
    doc = "One part of the C runtime Zig builds for links of one target, prebuilt as a zig cache directory.",
    fields = {
        "dir": "File: a tree artifact, a zig 0.11 cache (h/ manifests, o/ outputs) holding the part's pieces",
        "part": "string: \"c\" (libc, the crt files, compiler-rt) or \"c++\" (libc++, libc++abi, libunwind)",
        "triple": "string: the zig target triple it was built for, glibc version included",
    },
)

_PARTS = {
    "c": struct(probe = ("probe.c", _PROBE_C), what = "libc, crt files, compiler-rt"),
    "c++": struct(probe = ("probe.cc", _PROBE_CXX), what = "libc++, libc++abi, libunwind"),
}

def _zig_runtime_impl(ctx):
    triple = zig_triple(ctx.attr.triple, ctx.attr._glibc_version[BuildSettingInfo].value)
    part = _PARTS[ctx.attr.part]
    out = ctx.actions.declare_directory(ctx.label.name)
    probe = ctx.actions.declare_file("%s.probe/%s" % (ctx.label.name, part.probe[0]))
    ctx.actions.write(probe, part.probe[1])
    zig = ctx.file._zig
    lib_dir = ctx.file._lib_marker.dirname
    ctx.actions.run(
        executable = ctx.attr._launcher[0][DefaultInfo].files_to_run,
        arguments = [
            "runtime",
            "-part",
            ctx.attr.part,
            "-target",
            triple,
            "-zig",
            zig.path,
            "-lib",
            lib_dir,
            "-out",
            out.path,
            "-src",
            probe.path,
        ],
        inputs = depset([zig, probe], transitive = [ctx.attr._lib[DefaultInfo].files]),
        outputs = [out],
        mnemonic = "ZigRuntime",
        exec_group = ZIG_RUNTIME_EXEC_GROUP,
        progress_message = "Building the C runtime of %s (%s) with zig" % (triple, part.what),
    )
    return [
        DefaultInfo(files = depset([out])),
        ZigRuntimeInfo(dir = out, part = ctx.attr.part, triple = triple),
    ]

zig_runtime = rule(
    implementation = _zig_runtime_impl,
    doc = """Builds, once per target, one part of the C runtime pieces zig would otherwise build inside every link.

The output is a zig cache directory (a tree artifact) that the launcher copies into each link's
own temporary cache, so links build only the link itself, no action reads or writes a cache
outside Bazel, and the disk and remote caches serve the runtime like any other output. The two
parts of a target (`c` and `c++`) are independent actions that run side by side, each on every
CPU it gets; the same inputs give the same bytes on every machine (see
toolchains/private/launcher/runtime.go and canonical.go). The action runs in the exec group
`zig_runtime`: an execution platform's `exec_properties` keyed `zig_runtime.<property>` apply to
it alone (a bigger worker pool for the runtimes, not for every compile).""",
    attrs = {
        "triple": attr.string(mandatory = True, doc = "A key of ZIG_TARGETS (//platforms/private:platforms.bzl); -gnu triples get the configured glibc version."),
        "part": attr.string(mandatory = True, values = ["c", "c++"], doc = "Which part: c (libc, crt files, compiler-rt) or c++ (libc++, libc++abi, libunwind)."),
        "_launcher": attr.label(default = "//toolchains/private/launcher", executable = True, cfg = launcher_transition),
        "_zig": attr.label(default = "@zig_sdk//:zig", allow_single_file = True, cfg = "exec"),
        "_lib": attr.label(default = "@zig_sdk//:lib", cfg = "exec"),
        "_lib_marker": attr.label(default = "@zig_sdk//:lib/compiler_rt.zig", allow_single_file = True, cfg = "exec"),
        "_glibc_version": attr.label(default = "//toolchains:glibc_version"),
        "_allowlist_function_transition": attr.label(default = "@bazel_tools//tools/allowlists/function_transition_allowlist"),
    },
    exec_groups = {
        # No toolchains and no constraints: the same execution platform as the rule's own tools.
        ZIG_RUNTIME_EXEC_GROUP: exec_group(),
    },
    provides = [ZigRuntimeInfo],
)
