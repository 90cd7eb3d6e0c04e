package main

import (
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// Links are canonicalized so that one prebuilt C runtime per target serves
// every link (see runtime.go). zig keys the C runtime pieces it builds for a
// link (libc.a, crt files, compiler-rt, libc++, libc++abi, libunwind) on
// flags of that link, and builds and caches another full copy for each
// combination: with -s or -Wl,-S it builds a stripped libc and libc++, with
// -fPIC (Go's cgo passes it) or -pie a PIC one. Go's cgo, Go's external
// linker and Bazel's cc links use all of these, so a cold target used to
// build musl's libc and libc++ four times. The launcher therefore
//
//   - passes -fPIC on every link: the runtime is always the PIC build, which
//     links into PIE and non-PIE executables and shared libraries alike (the
//     flag changes nothing else in a link of objects);
//   - removes the strip flags (-s, -Wl,-s, -Wl,--strip-all, -Wl,-S,
//     -Wl,--strip-debug, and their -Xlinker spellings) and strips the output
//     itself after zig links, with `zig objcopy` (the same Zig SDK). The
//     unstripped runtime is linked and its debug info removed with the
//     output's: the code is the same, only the symbols and debug sections go.
//
// Relocatable links (-r) are left as they are: zig objcopy strips only
// executables and shared libraries.

// stripMode is what a link asked to strip.
type stripMode int

const (
	stripNone  stripMode = iota
	stripDebug           // -Wl,-S, -Wl,--strip-debug: debug sections
	stripAll             // -s, -Wl,--strip-all: debug sections and symbol table
)

// stripRequest is the strip to apply to Output after the link.
type stripRequest struct {
	Mode   stripMode
	Output string
}

var linkerStripFlags = map[string]stripMode{
	"-s": stripAll, "--strip-all": stripAll, "-S": stripDebug, "--strip-debug": stripDebug,
}

// canonicalLink removes the strip flags from a link command line and
// returns what to strip afterwards.
func canonicalLink(args []string) ([]string, stripRequest) {
	for _, a := range args {
		if a == "-r" || a == "--relocatable" || a == "-Wl,-r" || a == "-Wl,--relocatable" {
			return args, stripRequest{}
		}
	}
	var out []string
	mode := stripNone
	record := func(m stripMode) {
		if m > mode {
			mode = m
		}
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-s":
			record(stripAll)
			continue
		case a == "-Xlinker" && i+1 < len(args):
			if m, ok := linkerStripFlags[args[i+1]]; ok {
				record(m)
				i++
				continue
			}
			out = append(out, a, args[i+1])
			i++
			continue
		case strings.HasPrefix(a, "-Wl,"):
			var keep []string
			for _, p := range strings.Split(a[len("-Wl,"):], ",") {
				if m, ok := linkerStripFlags[p]; ok {
					record(m)
					continue
				}
				keep = append(keep, p)
			}
			if len(keep) > 0 {
				out = append(out, "-Wl,"+strings.Join(keep, ","))
			}
			continue
		case flagsWithValue[a] && i+1 < len(args):
			out = append(out, a, args[i+1])
			i++
			continue
		}
		out = append(out, a)
	}
	if mode == stripNone {
		return args, stripRequest{}
	}
	return out, stripRequest{Mode: mode, Output: outputOf(args)}
}

// outputOf returns the -o output of a link ("a.out" without one, like the
// compiler drivers).
func outputOf(args []string) string {
	out := "a.out"
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-o" && i+1 < len(args):
			out = args[i+1]
			i++
		case strings.HasPrefix(a, "-o") && len(a) > 2:
			out = a[2:]
		case flagsWithValue[a]:
			i++
		}
	}
	return out
}

// applyStrip strips r.Output in place with `zig objcopy`.
func applyStrip(zig string, env []string, r stripRequest) error {
	f, err := elf.Open(r.Output)
	if err != nil {
		return fmt.Errorf("cannot strip the link output %s (the link asked for %s): %v", r.Output, r.flag(), err)
	}
	typ := f.Type
	f.Close()
	if typ != elf.ET_EXEC && typ != elf.ET_DYN {
		return fmt.Errorf("cannot strip %s (the link asked for %s): it is %v, and zig objcopy strips executables and shared libraries only", r.Output, r.flag(), typ)
	}
	fi, err := os.Stat(r.Output)
	if err != nil {
		return err
	}
	tmp := r.Output + ".rules_go_cross-strip"
	cmd := exec.Command(zig, "objcopy", r.flag(), r.Output, tmp)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("stripping %s (the link asked for %s) with zig objcopy failed: %v\n%s", r.Output, r.flag(), err, out)
	}
	if err := os.Chmod(tmp, fi.Mode().Perm()); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, r.Output); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// flag is the zig objcopy flag for the request.
func (r stripRequest) flag() string {
	if r.Mode == stripDebug {
		return "--strip-debug"
	}
	return "--strip-all"
}

// linkFlags returns the flags of a link command line (not its inputs or the
// values of -o, -L, -l and friends), for messages.
func linkFlags(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-o" && i+1 < len(args):
			i++
		case flagsWithValue[a] && i+1 < len(args):
			out = append(out, a, args[i+1])
			i++
		case strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "-o") && !strings.HasPrefix(a, "-L") && !strings.HasPrefix(a, "-I"):
			out = append(out, a)
		}
	}
	return out
}
