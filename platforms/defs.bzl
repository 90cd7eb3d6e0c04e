"""Public API of //platforms: the table of target platforms and their constraints.

The platforms are targets of `@rules_go_cross//platforms`:

| platform | cgo | libc | binary |
|---|---|---|---|
| `linux_amd64`, `linux_arm64` | off | none | pure Go, fully static |
| `linux_amd64_musl`, `linux_arm64_musl` | on | musl | static |
| `linux_amd64_glibc`, `linux_arm64_glibc` | on | glibc | dynamic |

Each carries `@platforms//os:linux`, its `@platforms//cpu` value, rules_go's cgo constraint
(`@rules_go//go/toolchain:cgo_on` or `:cgo_off`) and, on cgo platforms, the constraint value
`:musl` or `:glibc` of the setting `:libc`. `:host` is the machine's own platform with cgo off.

On the musl platforms Go code sees the `musl` build tag (the convention of modules that ship code
or archives per libc): `go_image`, `go_image_index`, `go_platform_binaries` and `platforms_split`
set it; a plain `go_binary` gets it with `gotags = musl_gotags()`.

Constants (load them like the functions below):

* `PLATFORMS`: dict, platform name -> struct(cpu, goarch, libc, cgo): `cpu` a
  `@platforms//cpu` value (`x86_64`, `aarch64`), `goarch` (`amd64`, `arm64`), `libc`
  (`"musl"`, `"glibc"` or `"none"`), `cgo` (bool).
* `LIBCS`: the values of the libc constraint setting, `["musl", "glibc"]`.
"""

load(
    "//platforms/private:constraints.bzl",
    _musl_gotags = "musl_gotags",
    _platform_constraints = "platform_constraints",
)
load("//platforms/private:platforms.bzl", _LIBCS = "LIBCS", _PLATFORMS = "PLATFORMS")

PLATFORMS = _PLATFORMS
LIBCS = _LIBCS
platform_constraints = _platform_constraints
musl_gotags = _musl_gotags

def cgo_platforms_only():
    """A `target_compatible_with` value: only platforms with a libc (the cgo platforms).

    Use it on cgo targets so that `bazel build //...` for the host or a pure platform skips them
    instead of failing for want of a C toolchain. Asked for explicitly on such a platform, the
    target fails with Bazel's "incompatible" error naming the constraint
    `cgo_needs_a_musl_or_glibc_platform` and the platform.

    Returns:
      A select() for target_compatible_with.
    """
    return select({
        Label("//platforms:musl"): [],
        Label("//platforms:glibc"): [],
        "//conditions:default": [Label("//platforms:cgo_needs_a_musl_or_glibc_platform")],
    })
