// Package linkmode decides how a Go binary must be built for a platform of
// rules_go_cross: CGO_ENABLED=0, static musl with cgo, or dynamic glibc with
// cgo, which build tags and linker flags to use, and which image base it
// needs. The decision is made from Facts about the package graph (see
// package golist for gathering them with `go list`) and a Target.
//
// A package "needs cgo" when it is not in the standard library and has Go
// files with import "C", C/C++/Objective-C/Fortran sources, SWIG files or
// cdeps. The standard library packages that prefer cgo are net, os/user and
// plugin; net and os/user work without cgo, plugin does not.
//
// Decision rules (first match wins):
//
//	libc none (linux_amd64, linux_arm64):
//	  needs cgo or uses plugin  -> error naming the packages; pick a musl/glibc platform
//	  otherwise                 -> cgo off, static, tags netgo/osusergo if net/os/user used, base static
//	libc musl (linux_*_musl):
//	  uses plugin               -> error: musl is linked statically, plugin needs dlopen
//	  needs cgo                 -> cgo on, static (-linkmode external -extldflags -static),
//	                               tag musl, netgo/osusergo if net/os/user used, base static
//	  otherwise                 -> cgo off, static, tags netgo/osusergo, base static
//	libc glibc (linux_*_glibc):
//	  needs cgo, or uses net, os/user or plugin
//	                            -> cgo on, dynamic (-linkmode external), no netgo/osusergo
//	                               (lookups go through glibc NSS), base glibc
//	  otherwise                 -> cgo off, static, base static
//
// Linker flags always start with -s -w. Build tags given with the facts are
// kept. Every plan carries one human-readable reason per decision.
package linkmode
