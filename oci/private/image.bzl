"""go_image: a Go binary on a distroless base, as an OCI layout, a docker tarball and a layer."""

# buildifier: disable=bzl-visibility
# The cgo stub check is go/'s, shared with go_platform_binaries; it is internal to this module.
load("//go/private:cgo_stubs.bzl", "CgoStubsInfo", "STUB_CHECK_ATTRS", "cgo_stubs_aspect", "stub_check", "target_cpu")
load("//platforms:transitions.bzl", "musl_tag_transition")
load(":providers.bzl", "OciBaseInfo", "OciImageInfo")
load(":transitions.bzl", "platform_transition")

def _binary_path(ctx, binary):
    return ctx.attr.binary_path or "/app/" + binary.basename

def _go_image_impl(ctx):
    binary = ctx.executable.binary

    # A list: the attribute has a (1:1) Starlark transition.
    binary_target = ctx.attr.binary[0]
    dest = _binary_path(ctx, binary)
    name = ctx.label.name
    bases = [b[OciBaseInfo] for b in ctx.attr.bases]
    if not bases:
        fail("go_image %s: no base; give base = a debian_base target or \"auto\"" % ctx.label)

    # 0. No silent stubs: a package with C code compiled with cgo off would ship as its stub.
    # The image waits for the check, so a refused binary leaves no image behind.
    stubs_report = stub_check(
        ctx,
        "go_image " + str(ctx.label),
        binary_target.label,
        ctx.fragments.platform.platform,
        target_cpu(ctx),
        binary_target[CgoStubsInfo],
    )

    # 1. The application layer, uncompressed: usable as rules_oci's oci_image(tars = [...]).
    layer = ctx.actions.declare_file(name + ".layer.tar")
    args = ctx.actions.args()
    args.add("layer")
    args.add("-out", layer)
    args.add("-file", "%s=%s:0755" % (dest, binary.path))
    args.add("-mtime", ctx.attr.created)
    ctx.actions.run(
        executable = ctx.executable._imagetool,
        arguments = [args],
        inputs = [binary],
        outputs = [layer],
        mnemonic = "ImageLayer",
        progress_message = "Writing the application layer of %{label}",
    )

    # 2. The image: base + layer, checked by the link-mode verifier (the build fails when the
    # binary could not start on the base; with several candidate bases, the first that fits).
    layout = ctx.actions.declare_directory(name)
    tarball = ctx.actions.declare_file(name + ".tar")
    digest = ctx.actions.declare_file(name + ".digest")
    report = ctx.actions.declare_file(name + ".linkmode.json")
    args = ctx.actions.args()
    args.add("image")
    for b in bases:
        args.add("-base", "%s=%s" % (b.kind, b.layout.path))
    args.add("-layer", layer)
    args.add("-verify", "%s=%s" % (dest, binary.path))
    args.add("-verify-report", report)
    for e in (ctx.attr.entrypoint or [dest]):
        args.add("-entrypoint", e)
    for c in ctx.attr.cmd:
        args.add("-cmd", c)
    for k, v in sorted(ctx.attr.env.items()):
        args.add("-env", "%s=%s" % (k, v))
    if ctx.attr.user:
        args.add("-user", ctx.attr.user)
    if ctx.attr.workdir:
        args.add("-workdir", ctx.attr.workdir)
    for k, v in sorted(ctx.attr.labels.items()):
        args.add("-label", "%s=%s" % (k, v))
    for k, v in sorted(ctx.attr.annotations.items()):
        args.add("-annotation", "%s=%s" % (k, v))
    args.add("-created", ctx.attr.created)
    args.add("-out", layout.path)
    args.add("-docker-tar", tarball)
    for t in (ctx.attr.repo_tags or ["bazel/%s:%s" % (ctx.label.package.lower() or "root", name.lower())]):
        args.add("-repo-tag", t)
    args.add("-digest", digest)
    ctx.actions.run(
        executable = ctx.executable._imagetool,
        arguments = [args],
        inputs = [layer, binary] + [b.layout for b in bases] + ([stubs_report] if stubs_report else []),
        outputs = [layout, tarball, digest, report],
        mnemonic = "GoImage",
        progress_message = "Assembling image %{label}",
    )

    # 3. SBOM: the binary's Go modules and the chosen base's Debian packages.
    sbom = ctx.actions.declare_file(name + ".spdx.json")
    args = ctx.actions.args()
    args.add("sbom")
    args.add("-binary-buildinfo", "%s=%s" % (dest, binary.path))
    for b in bases:
        args.add("-packages", "%s=%s" % (b.kind, b.packages.path))
    args.add("-verify-report", report)
    args.add("-name", str(ctx.label))
    args.add("-image-digest", digest)
    args.add("-created", ctx.attr.created)
    args.add("-out", sbom)
    ctx.actions.run(
        executable = ctx.executable._imagetool,
        arguments = [args],
        inputs = [binary, report, digest] + [b.packages for b in bases],
        outputs = [sbom],
        mnemonic = "ImageSBOM",
        progress_message = "Writing the SBOM of %{label}",
    )

    # 4. Provenance (in-toto, SLSA v1): target, platform, builder, Go toolchain and modules,
    # Debian packages and the base's lock file. No source revision (no stamping): go_image_sign
    # adds it when it attaches the statement.
    provenance = ctx.actions.declare_file(name + ".provenance.json")
    args = ctx.actions.args()
    args.add("provenance")
    args.add("-target", str(ctx.label))
    args.add("-platform", str(ctx.fragments.platform.platform))
    args.add("-image-digest", digest)
    args.add("-binary", "%s=%s" % (dest, binary.path))
    for b in bases:
        args.add("-packages", "%s=%s" % (b.kind, b.packages.path))
        args.add("-lock", "%s=%s=%s" % (b.kind, b.lock_name, b.lock.path) if b.lock else b.kind + "=")
    args.add("-verify-report", report)
    args.add("-sbom", sbom)
    args.add("-builder-version-file", ctx.file._builder_version)
    args.add("-out", provenance)
    ctx.actions.run(
        executable = ctx.executable._imagetool,
        arguments = [args],
        inputs = [binary, report, digest, sbom, ctx.file._builder_version] +
                 [b.packages for b in bases] + [b.lock for b in bases if b.lock],
        outputs = [provenance],
        mnemonic = "ImageProvenance",
        progress_message = "Writing the provenance of %{label}",
    )

    # 5. Size report.
    size_txt = ctx.actions.declare_file(name + ".size.txt")
    size_json = ctx.actions.declare_file(name + ".size.json")
    args = ctx.actions.args()
    args.add("size-report")
    args.add("-layout", layout.path)
    args.add("-out", size_txt)
    args.add("-json", size_json)
    ctx.actions.run(
        executable = ctx.executable._imagetool,
        arguments = [args],
        inputs = [layout],
        outputs = [size_txt, size_json],
        mnemonic = "ImageSizeReport",
        progress_message = "Measuring image %{label}",
    )

    return [
        DefaultInfo(files = depset([layout])),
        OutputGroupInfo(
            layer = depset([layer]),
            tarball = depset([tarball]),
            digest = depset([digest]),
            linkmode = depset([report]),
            sbom = depset([sbom]),
            provenance = depset([provenance]),
            size_report = depset([size_txt, size_json]),
            size_report_json = depset([size_json]),
        ),
        OciImageInfo(
            layout = layout,
            digest = digest,
            layer = layer,
            tarball = tarball,
            report = report,
            sbom = sbom,
            provenance = provenance,
        ),
    ]

go_image_rule = rule(
    implementation = _go_image_impl,
    cfg = platform_transition,
    doc = """A Go binary on a distroless base image. Use the `go_image` macro.""",
    attrs = {
        "binary": attr.label(mandatory = True, executable = True, cfg = musl_tag_transition, aspects = [cgo_stubs_aspect], doc = "A go_binary (on a musl platform, built with the musl build tag)."),
        "platform": attr.label(doc = "Build binary and base for this platform (default: the current target platform)."),
        "bases": attr.label_list(providers = [OciBaseInfo], doc = "Candidate bases, smallest first."),
        "binary_path": attr.string(doc = "Path of the binary in the image (default /app/<binary name>)."),
        "entrypoint": attr.string_list(doc = "Entrypoint argv (default: [binary_path])."),
        "cmd": attr.string_list(doc = "Arguments appended to the entrypoint (config Cmd)."),
        "env": attr.string_dict(doc = "Environment, replacing the base's value of each key."),
        "user": attr.string(default = "65532", doc = "User to run as (default nonroot, 65532)."),
        "workdir": attr.string(doc = "Working directory (default: the base's)."),
        "labels": attr.string_dict(doc = "Config labels."),
        "annotations": attr.string_dict(doc = "Manifest annotations (org.opencontainers.image.*)."),
        "repo_tags": attr.string_list(doc = "Tags recorded in the docker tarball (default bazel/<package>:<name>)."),
        "created": attr.string(default = "0", doc = "Creation time and layer mtime: seconds since 1970 or RFC 3339."),
        "_imagetool": attr.label(default = "//oci/private/cmd/imagetool", executable = True, cfg = "exec"),
        "_builder_version": attr.label(default = "//oci/private:builder_version", allow_single_file = True),
        "_allowlist_function_transition": attr.label(default = "@bazel_tools//tools/allowlists/function_transition_allowlist"),
    } | STUB_CHECK_ATTRS,
    fragments = ["platform"],
)
