"""Public API of rules_go_cross for Go binaries.

`go_platform_binaries` builds one `go_binary` for several target platforms at once (with the
platform's libc constraint, which `go_binary`'s goos/goarch attributes would drop, and the `musl`
build tag on musl platforms). `go_glibc_binary` builds one for a glibc platform against
a chosen glibc version. `go_buildinfo` gives a `go_binary` the module information `go build`
records, for `go version -m`, SBOMs and scanners. `no_cgo_stubs` fails a `go_binary` built with
cgo off whose graph has a package with C code (what `go_image` and `go_platform_binaries` always
check): opt in with `build --aspects=@rules_go_cross//go:defs.bzl%no_cgo_stubs` in `.bazelrc`.
"""

load("//go/private:binaries.bzl", _go_glibc_binary = "go_glibc_binary", _go_platform_binaries = "go_platform_binaries")
load("//go/private:buildinfo.bzl", _go_buildinfo = "go_buildinfo")
load("//go/private:cgo_stubs.bzl", _CgoStubsInfo = "CgoStubsInfo", _no_cgo_stubs = "no_cgo_stubs")

go_platform_binaries = _go_platform_binaries
go_glibc_binary = _go_glibc_binary
go_buildinfo = _go_buildinfo
no_cgo_stubs = _no_cgo_stubs
CgoStubsInfo = _CgoStubsInfo
