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

`go_image_index` (//oci:defs.bzl) builds its image this way. On a musl platform, Go code also
sees the `musl` build tag (rules_go's `@rules_go//go/config:tags` gets it).

Two 1:1 transitions for an attribute (`ctx.attr.<attr>` is then a list of one target):
`to_platform` builds it for the platform in the rule's `platform` attribute (with the musl tag on
musl; `go_platform_binaries` uses it), `musl_tag_transition` keeps the platform and adds the musl
tag on a musl platform (`go_image` builds its binary so, leaving its own tools untouched).
"""

load("//platforms/private:constraints.bzl", "GO_TAGS", "with_musl_tag")

def _platforms_split_impl(settings, attr):
    return {
        str(p): {
            "//command_line_option:platforms": [str(p)],
            GO_TAGS: with_musl_tag([p], settings[GO_TAGS]),
        }
        for p in attr.platforms
    }

platforms_split = transition(
    implementation = _platforms_split_impl,
    inputs = [GO_TAGS],
    outputs = ["//command_line_option:platforms", GO_TAGS],
)

def _musl_tag_impl(settings, _attr):
    return {GO_TAGS: with_musl_tag(settings["//command_line_option:platforms"], settings[GO_TAGS])}

# For an attribute: keeps the platform, adds the musl build tag on a musl platform. go_image sets
# it on its binary only, so that its own tools keep the configuration without the tag.
musl_tag_transition = transition(
    implementation = _musl_tag_impl,
    inputs = ["//command_line_option:platforms", GO_TAGS],
    outputs = [GO_TAGS],
)

def _to_platform_impl(settings, attr):
    platform = str(attr.platform)
    return {
        "//command_line_option:platforms": [platform],
        GO_TAGS: with_musl_tag([platform], settings[GO_TAGS]),
    }

# For an attribute: builds it for the rule's `platform` attribute (a platform label), with the
# musl build tag on a musl platform. go_platform_binaries builds each binary this way.
to_platform = transition(
    implementation = _to_platform_impl,
    inputs = [GO_TAGS],
    outputs = ["//command_line_option:platforms", GO_TAGS],
)
