"""Providers of the image rules."""

OciBaseInfo = provider(
    doc = "A distroless base image built from Debian packages by `debian_base`.",
    fields = {
        "layout": "File (directory): the base as an OCI image layout.",
        "packages": "File: JSON list of the installed Debian packages (input of the SBOM).",
        "kind": "string: static, glibc or musl.",
        "arch": "string: the Debian / OCI architecture, amd64 or arm64.",
        "lock": "File or None: the lock file the packages were resolved in (its sha256 goes into the provenance).",
        "lock_name": "string: how the provenance names the lock file (the label it was declared with).",
    },
)

OciImageInfo = provider(
    doc = "A single-platform image built by `go_image`.",
    fields = {
        "layout": "File (directory): the image as an OCI image layout.",
        "digest": "File: the manifest digest, `sha256:...` and a newline.",
        "layer": "File: the application layer as an uncompressed tar (rules_oci `tars`).",
        "tarball": "File: the `docker load` tarball.",
        "report": "File: JSON written by the link-mode check (chosen base, per-binary verdicts).",
        "sbom": "File: the SPDX 2.3 JSON SBOM.",
        "provenance": "File: in-toto statement with SLSA v1 provenance (no source revision; go_image_sign adds it).",
    },
)

OciIndexInfo = provider(
    doc = "A multi-platform image index built by `go_image_index`.",
    fields = {
        "layout": "File (directory): the index as an OCI image layout holding every image's blobs.",
        "digest": "File: the index digest, `sha256:...` and a newline.",
        "images": "list of OciImageInfo, in the order of the index's manifests.",
    },
)
