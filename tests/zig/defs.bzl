"""A test-only rule: one binary built for several platforms in one build (a split transition)."""

load("//platforms:transitions.bzl", _split = "platforms_split")

def _multi_platform_impl(ctx):
    outs = []
    for p in ctx.attr.platforms:
        for b in ctx.split_attr.binaries[str(p.label)]:
            src = b[DefaultInfo].files_to_run.executable
            out = ctx.actions.declare_file("%s/%s/%s" % (ctx.label.name, p.label.name, src.basename))
            ctx.actions.symlink(output = out, target_file = src, is_executable = True)
            outs.append(out)
    return [DefaultInfo(files = depset(outs), runfiles = ctx.runfiles(files = outs))]

multi_platform = rule(
    implementation = _multi_platform_impl,
    doc = "Builds `binaries` for every platform in `platforms`; outputs <name>/<platform>/<binary>.",
    attrs = {
        "binaries": attr.label_list(cfg = _split, mandatory = True),
        "platforms": attr.label_list(mandatory = True),
        "_allowlist_function_transition": attr.label(default = "@bazel_tools//tools/allowlists/function_transition_allowlist"),
    },
)
