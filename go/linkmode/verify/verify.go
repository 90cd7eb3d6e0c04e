// Package verify checks a linked binary, as described by package elfinfo,
// against expectations (architecture, libc, static linking, newest GLIBC
// symbol version) and against an image base: can the kernel and the
// dynamic loader start it there?
//
// Base compatibility rules:
//   - a static or static-pie binary starts on any base, even an empty one;
//   - a dynamic binary needs its interpreter (PT_INTERP) in the base, and
//     every DT_NEEDED library in its RUNPATH/RPATH or the loader's default
//     directories: for glibc /lib/<triple>, /usr/lib/<triple>, /lib64,
//     /usr/lib64, /lib, /usr/lib (triple x86_64-linux-gnu or
//     aarch64-linux-gnu); for musl /lib, /usr/local/lib, /usr/lib, with
//     libc, libpthread, libm, libdl, librt, libutil and libxnet provided by
//     the musl loader itself. ld.so.cache, /etc/ld-musl-*.path and
//     LD_LIBRARY_PATH are not consulted;
//   - a glibc binary needs a base glibc at least as new as the newest
//     GLIBC_x.y it requires, when the base's glibc version is known.
//
// Symbolic links are followed inside the base. Problems are reported root
// cause first, each with the error the system would show and a fix.
package verify

import (
	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/elfinfo"
)

// Report is the JSON output of `linkmode verify -json`.
type Report struct {
	SchemaVersion int           `json:"schema_version"`
	Binary        *elfinfo.Info `json:"binary"`
	Checks        []Check       `json:"checks"`         // expectations, in flag order
	Base          *BaseResult   `json:"base,omitempty"` // with -base-files or -base-root
	OK            bool          `json:"ok"`
	// Failures are the messages to show: failed checks, then the root
	// cause of the base problems.
	Failures []string `json:"failures,omitempty"`
}

// Run checks info against e and, if base is not nil, against base.
func Run(info *elfinfo.Info, e Expect, base *Base) *Report {
	r := &Report{SchemaVersion: linkmode.SchemaVersion, Binary: info, Checks: e.Check(info)}
	if r.Checks == nil {
		r.Checks = []Check{}
	}
	for _, c := range r.Checks {
		if !c.OK {
			r.Failures = append(r.Failures, c.Message)
		}
	}
	if base != nil {
		br := CheckBase(info, base)
		r.Base = &br
		if !br.OK {
			r.Failures = append(r.Failures, br.Problems[0])
		}
	}
	r.OK = len(r.Failures) == 0
	return r
}
