"""go_image_index: one image per platform, combined into an OCI image index."""

load(":providers.bzl", "OciImageInfo", "OciIndexInfo")

def _per_platform_impl(_settings, attr):
    return {str(p): {"//command_line_option:platforms": [str(p)]} for p in attr.platforms}

# Like platforms_split (//platforms:transitions.bzl) but without the musl build tag: go_image adds
# the tag on its binary edge only. Were the image itself built with the tag, its exec tools
# (imagetool, linkmode and their ~90 Go packages) would be compiled a second time in an exec
# configuration that differs only by the tag.
_per_platform = transition(
    implementation = _per_platform_impl,
    inputs = [],
    outputs = ["//command_line_option:platforms"],
)

def _go_image_index_impl(ctx):
    images = []
    for p in ctx.attr.platforms:
        split = ctx.split_attr.image.get(str(p.label))
        if split == None:
            fail("go_image_index %s: no image for platform %s" % (ctx.label, p.label))
        images.append(split[OciImageInfo])

    layout = ctx.actions.declare_directory(ctx.label.name)
    digest = ctx.actions.declare_file(ctx.label.name + ".digest")
    args = ctx.actions.args()
    args.add("index")
    for img in images:
        args.add("-image", img.layout.path)
    for k, v in sorted(ctx.attr.annotations.items()):
        args.add("-annotation", "%s=%s" % (k, v))
    args.add("-out", layout.path)
    args.add("-digest", digest)
    ctx.actions.run(
        executable = ctx.executable._imagetool,
        arguments = [args],
        inputs = [img.layout for img in images],
        outputs = [layout, digest],
        mnemonic = "ImageIndex",
        progress_message = "Writing image index %{label}",
    )
    return [
        DefaultInfo(files = depset([layout])),
        OutputGroupInfo(
            digest = depset([digest]),
            images = depset([img.layout for img in images]),
            sbom = depset(transitive = [i[OutputGroupInfo].sbom for i in ctx.attr.image]),
            provenance = depset(transitive = [i[OutputGroupInfo].provenance for i in ctx.attr.image]),
            size_report = depset(transitive = [i[OutputGroupInfo].size_report for i in ctx.attr.image]),
            linkmode = depset(transitive = [i[OutputGroupInfo].linkmode for i in ctx.attr.image]),
        ),
        OciIndexInfo(layout = layout, digest = digest, images = images),
    ]

go_image_index = rule(
    implementation = _go_image_index_impl,
    doc = """Builds `image` once per platform and writes a multi-platform OCI image index.

Each manifest descriptor carries os, architecture and variant (arm64: v8) and the annotation
`io.rules_go_cross.libc` (musl, glibc or none), since the OCI platform has no libc field. The
index layout hard-links the images' blobs where the file system allows, instead of copying them.
`image` must be a `go_image` without its own `platform`.""",
    attrs = {
        "image": attr.label(
            mandatory = True,
            providers = [OciImageInfo],
            cfg = _per_platform,
            doc = "A go_image target (without `platform`).",
        ),
        "platforms": attr.label_list(
            mandatory = True,
            allow_empty = False,
            providers = [platform_common.PlatformInfo],
            doc = "The platforms, e.g. [\"@rules_go_cross//platforms:linux_amd64_musl\", ...].",
        ),
        "annotations": attr.string_dict(doc = "Annotations on the index itself."),
        "_imagetool": attr.label(default = "//oci/private/cmd/imagetool", executable = True, cfg = "exec"),
        "_allowlist_function_transition": attr.label(default = "@bazel_tools//tools/allowlists/function_transition_allowlist"),
    },
)
