"""Configuration transitions over rules_go_cross's platforms, for rules that build a dependency for several platforms.

`platforms_split` is a 1:N split transition: the attribute it is set on is built once for each
label in the rule's `platforms` attribute (a `label_list` of platform targets). In the rule's
implementation, `ctx.split_attr.<attr>` is a dict keyed by `str(label)` of each platform:

```starlark
load("@rules_go_cross//platforms:transitions.bzl", "platforms_split")

def _impl(ctx):
    for p in ctx.attr.platforms:
        deps = ctx.split_attr.binaries[str(p.label)]  # the binaries built for p
        ...

multi = rule(
    implementation = _impl,
    attrs = {
        "binaries": attr.label_list(cfg = platforms_split),
        "platforms": attr.label_list(mandatory = True),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
)
```

`go_image_index` (//oci:defs.bzl) builds its image this way.
"""

def _platforms_split_impl(_settings, attr):
    return {str(p): {"//command_line_option:platforms": [str(p)]} for p in attr.platforms}

platforms_split = transition(
    implementation = _platforms_split_impl,
    inputs = [],
    outputs = ["//command_line_option:platforms"],
)
