"""Public API of //oci: distroless images of Go binaries.

```starlark
load("@rules_go_cross//oci:defs.bzl", "go_image", "go_image_index", "go_image_push", "go_image_sign")

go_image(name = "image", binary = ":app")          # base = "auto"
go_image_index(
    name = "index",
    image = ":image",
    platforms = ["@rules_go_cross//platforms:linux_amd64", "@rules_go_cross//platforms:linux_arm64"],
)
go_image_push(name = "push", image = ":index")
go_image_sign(name = "sign", image = ":index")     # push + cosign signature, SBOM, provenance
```

`GLIBC_RUNTIME_FILES` (a list of path.Match patterns) is what of Debian's libc6 the `glibc`
bases keep: the loader, libc, libm, libresolv, libnss_files, libnss_dns and the stubs of the
libraries glibc 2.34 merged into libc. A hand-written glibc `debian_base` gets the same with
`keep = {"libc6": GLIBC_RUNTIME_FILES}`.
"""

load("//oci/private:base.bzl", _debian_base = "debian_base")
load("//oci/private:glibc.bzl", _GLIBC_RUNTIME_FILES = "GLIBC_RUNTIME_FILES")
load("//oci/private:image.bzl", "go_image_rule")
load("//oci/private:index.bzl", _go_image_index = "go_image_index")
load("//oci/private:providers.bzl", _OciBaseInfo = "OciBaseInfo", _OciImageInfo = "OciImageInfo", _OciIndexInfo = "OciIndexInfo")
load("//oci/private:push.bzl", _go_image_push = "go_image_push", _go_image_sign = "go_image_sign")
load("//oci/private:variants.bzl", "BASE_VARIANTS")

# The platform table (generated from the Go table, platforms/platform) is platforms/'s; it is
# internal to this module.
# buildifier: disable=bzl-visibility
load("//platforms/private:platforms.bzl", "BASE_KINDS")

OciBaseInfo = _OciBaseInfo
OciImageInfo = _OciImageInfo
OciIndexInfo = _OciIndexInfo
debian_base = _debian_base
GLIBC_RUNTIME_FILES = _GLIBC_RUNTIME_FILES
go_image_index = _go_image_index
go_image_push = _go_image_push
go_image_sign = _go_image_sign

# Every base go_image(base = ...) names (oci/bases/debian13.lock.json): one per base variant,
# such as glibc_full, the glibc base with all of libc6.
_NAMED_BASES = {name: Label("@rules_go_cross_bases//:" + name) for name in BASE_VARIANTS}

# The bases base = "auto" picks from: the one named after each kind, smallest first.
_AUTO_BASES = [_NAMED_BASES[kind] for kind in BASE_KINDS]

def _with(kwargs, extra):
    out = dict(kwargs)
    out.update(extra)
    return out

def go_image(
        name,
        binary,
        base = "auto",
        platform = None,
        binary_path = None,
        entrypoint = None,
        cmd = None,
        env = None,
        user = "65532",
        workdir = None,
        labels = None,
        annotations = None,
        repo_tags = None,
        created = "0",
        **kwargs):
    """A Go binary on a distroless base.

    Targets created (besides `name`, whose default output is the OCI image layout directory):

    * `<name>_tarball`: the `docker load` tarball (`podman load`, `skopeo copy docker-archive:`);
    * `<name>_layer`: the application layer as an uncompressed tar, for rules_oci's
      `oci_image(tars = [...])`;
    * `<name>_sbom`: the SPDX 2.3 JSON SBOM (Go modules of the binary, Debian packages of the base);
    * `<name>_provenance`: an in-toto statement with SLSA v1 provenance (target, platform, builder,
      Go toolchain and modules, Debian packages, the base lock file's sha256); `go_image_sign`
      adds the source revision when it attaches it;
    * `<name>_size_report`: bytes per layer, largest files, application vs base (text and JSON);
    * `<name>_linkmode`: the link-mode verdict as JSON (which base, and why the binary can start);
    * `<name>_digest`: a file with the manifest digest (`sha256:...`).

    The layout directory works as rules_oci's `oci_image(base = ...)`.

    Every image is checked by the link-mode verifier: the build fails, with the reason, when the
    binary could not start on the base (for example a glibc-dynamic binary on `static`, which
    would fail at run time with "exec: no such file or directory").

    Args:
      name: target name.
      binary: a go_binary.
      base: "auto" (default): the smallest of this module's bases (static, musl, glibc) on which
        the binary can start; "static", "musl" or "glibc": that base of this module;
        "glibc_full": the glibc base with all of libc6 (iconv's gconv modules, libmvec, ...),
        where "glibc" has what a cgo Go binary needs; or the label of a `debian_base` (for
        example `@my_bases//:glibc` from the `distroless` extension).
      platform: build binary and base for this platform, e.g.
        "@rules_go_cross//platforms:linux_arm64_musl" (default: the current target platform).
        Leave it unset for an image used by go_image_index.
      binary_path: path of the binary in the image (default `/app/<binary's file name>`).
      entrypoint: the entrypoint argv (default `[binary_path]`).
      cmd: arguments appended to the entrypoint (the config's Cmd).
      env: environment variables (dict), replacing the base's value of each key; the bases set
        PATH and SSL_CERT_FILE.
      user: user (and optionally `:group`) the container runs as; the default is nonroot,
        65532, which the bases' /etc/passwd names.
      workdir: working directory (default: the base's, /).
      labels: config labels (dict).
      annotations: manifest annotations (dict), e.g. `org.opencontainers.image.source`.
      repo_tags: tags recorded in the `docker load` tarball (default `bazel/<package>:<name>`).
      created: creation time of the config and mtime of the application layer's files:
        seconds since 1970 or RFC 3339. The default, 0, keeps digests reproducible.
      **kwargs: common attributes of the image rule; tags, visibility, testonly and
        target_compatible_with are also set on the `<name>_*` targets.
    """
    if base == "auto":
        bases = _AUTO_BASES
    elif base in _NAMED_BASES:
        bases = [_NAMED_BASES[base]]
    elif type(base) == "string" and (base.startswith("@") or base.startswith("//") or base.startswith(":")):
        bases = [base]
    elif type(base) == "Label":
        bases = [base]
    else:
        fail("go_image(%s): base = %r; use %s or the label of a debian_base" % (name, base, ", ".join(["\"%s\"" % n for n in ["auto"] + _NAMED_BASES.keys()])))

    common = {k: kwargs[k] for k in ["tags", "visibility", "testonly", "target_compatible_with"] if k in kwargs}
    attrs = {
        "binary_path": binary_path,
        "entrypoint": entrypoint,
        "cmd": cmd,
        "env": env,
        "workdir": workdir,
        "labels": labels,
        "annotations": annotations,
        "repo_tags": repo_tags,
    }
    go_image_rule(
        name = name,
        binary = binary,
        bases = bases,
        platform = platform,
        user = user,
        created = created,
        **_with(kwargs, {k: v for k, v in attrs.items() if v != None})
    )
    for suffix, group in [
        ("tarball", "tarball"),
        ("layer", "layer"),
        ("sbom", "sbom"),
        ("provenance", "provenance"),
        ("size_report", "size_report"),
        ("linkmode", "linkmode"),
        ("digest", "digest"),
    ]:
        native.filegroup(
            name = "%s_%s" % (name, suffix),
            srcs = [":" + name],
            output_group = group,
            **common
        )
