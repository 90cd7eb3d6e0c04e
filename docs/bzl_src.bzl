"""bzl_src: one .bzl file of a bzl_library, for stardoc's input."""

def _bzl_src_impl(ctx):
    want = ctx.attr.library.label.package + "/" + ctx.attr.file
    files = [f for f in ctx.files.library if f.is_source and f.short_path == want]
    if len(files) != 1:
        fail("%s: %s is not among the sources of %s; name a .bzl file the bzl_library lists in srcs" % (ctx.label, want, ctx.attr.library.label))
    return [DefaultInfo(files = depset(files))]

bzl_src = rule(
    implementation = _bzl_src_impl,
    doc = "The .bzl file `file` of the bzl_library `library` (which must be visible here).",
    attrs = {
        "library": attr.label(mandatory = True, doc = "A bzl_library."),
        "file": attr.string(mandatory = True, doc = "The file's name in the library's package, e.g. defs.bzl."),
    },
)
