"""The named bases of rules_go_cross (base variants): each a base kind and what of its packages ships.

A base *kind* (static, musl, glibc: which C library the base provides) is declared once, by
go/linkmode, and reaches Starlark as BASE_KINDS of the generated //platforms/private:platforms.bzl.
A base *name* is a variant of a kind: `glibc_full` is a base of kind glibc.
"""

# The platform table (generated from the Go table, platforms/platform) is platforms/'s; it is
# internal to this module.
# buildifier: disable=bzl-visibility
load("//platforms/private:platforms.bzl", "BASE_KINDS")
load(":glibc.bzl", "GLIBC_RUNTIME_FILES")

# Base name -> struct(kind, keep). The `distroless` extension declares every name per
# architecture of its lock file; go_image(base = "<name>") takes it. Each kind has the base of its
# own name, which go_image(base = "auto") picks from. `keep` (debian_base's attribute) limits what
# of a package ships: `glibc` ships of libc6 only GLIBC_RUNTIME_FILES, `glibc_full` all of it
# (iconv's gconv modules and the rest).
BASE_VARIANTS = {
    "static": struct(kind = "static", keep = {}),
    "musl": struct(kind = "musl", keep = {}),
    "glibc": struct(kind = "glibc", keep = {"libc6": GLIBC_RUNTIME_FILES}),
    "glibc_full": struct(kind = "glibc", keep = {}),
}

def check_base_variants():
    """Fails unless every variant has a kind of BASE_KINDS and every kind the variant of its name."""
    for name, v in BASE_VARIANTS.items():
        if v.kind not in BASE_KINDS:
            fail("oci/private/variants.bzl: base %r has kind %r; the kinds are %s (go/linkmode)" % (name, v.kind, ", ".join(BASE_KINDS)))
    for kind in BASE_KINDS:
        if BASE_VARIANTS.get(kind, struct(kind = None)).kind != kind:
            fail("oci/private/variants.bzl: base kind %r (go/linkmode) has no base of its name; add %r: struct(kind = %r, keep = {})" % (kind, kind, kind))
