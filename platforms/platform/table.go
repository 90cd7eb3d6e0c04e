package platform

import "debug/elf"

// The table. Everything else in rules_go_cross that names an architecture
// or a C library reads it: Go programs through this package, Starlark
// through platforms/private/platforms.bzl, which
// `tools/bazel run //platforms:update_table` writes from it. To add an
// architecture, add a row to Arches, run that command and refresh the
// Debian lock (`tools/bazel run //oci/bases:refresh`).

// Arches are the target architectures, in display order.
var Arches = []Arch{
	{
		GOARCH:     "amd64",
		CPU:        "x86_64",
		BazelCPU:   "k8",
		ZigCPU:     "x86_64",
		ELF:        elf.EM_X86_64,
		ELFName:    "x86-64",
		OCIVariant: "",
		Debian:     "amd64",
		Loaders: map[string]string{
			Musl:  "/lib/ld-musl-x86_64.so.1",
			Glibc: "/lib64/ld-linux-x86-64.so.2",
		},
	},
	{
		GOARCH:     "arm64",
		CPU:        "aarch64",
		BazelCPU:   "aarch64",
		ZigCPU:     "aarch64",
		ELF:        elf.EM_AARCH64,
		ELFName:    "aarch64",
		OCIVariant: "v8",
		Debian:     "arm64",
		Loaders: map[string]string{
			Musl:  "/lib/ld-musl-aarch64.so.1",
			Glibc: "/lib/ld-linux-aarch64.so.1",
		},
	},
}

// Names of the C libraries (the Name of a Libc row).
const (
	None  = "none" // pure Go: cgo off, no C library
	Musl  = "musl"
	Glibc = "glibc"
)

// Libcs are the C libraries, in display order; the first, None, is the
// pure-Go case.
var Libcs = []Libc{
	{Name: None},
	{
		Name:         Musl,
		ZigABI:       "musl",
		LoaderPrefix: "ld-musl-",
		Package:      "musl",
	},
	{
		Name:         Glibc,
		ZigABI:       "gnu",
		LoaderPrefix: "ld-linux",
		Package:      "libc6",
		// libgcc-s1 (unwinding for C++ and pthread_cancel) and its
		// dependency gcc-<version>-base (a copyright file only).
		Companions: []string{"libgcc-s1", "gcc-*-base"},
	},
}
