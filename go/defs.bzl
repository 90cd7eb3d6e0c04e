"""Public API of rules_go_cross for Go binaries.

`go_platform_binaries` builds one `go_binary` for several target platforms at once (through
rules_go's `go_cross_binary`, which keeps the libc constraint of our platforms; `go_binary`'s
goos/goarch attributes would drop it). `go_glibc_binary` builds one for a glibc platform against
a chosen glibc version. `go_buildinfo` gives a `go_binary` the module information `go build`
records, for `go version -m`, SBOMs and scanners.
"""

load("//go/private:binaries.bzl", _go_glibc_binary = "go_glibc_binary", _go_platform_binaries = "go_platform_binaries")
load("//go/private:buildinfo.bzl", _go_buildinfo = "go_buildinfo")

go_platform_binaries = _go_platform_binaries
go_glibc_binary = _go_glibc_binary
go_buildinfo = _go_buildinfo
