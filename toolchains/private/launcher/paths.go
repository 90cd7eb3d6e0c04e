package main

import (
	"os"
	"path/filepath"
	"strings"
)

// layout says where things are for one launcher invocation.
type layout struct {
	// Execroot is the absolute execroot, computed from the directory of
	// os.Args[0] and config.Depth, without resolving symlinks.
	Execroot string
	// InExecroot is true when the working directory is the execroot (Bazel
	// actions); false for Go's linker and cgo, which run the compiler from
	// temporary directories.
	InExecroot bool
	// Zig and Lib are the zig executable and lib dir as passed to zig:
	// execroot-relative when InExecroot (so .d files written by the compiler
	// hold relative paths only), absolute otherwise (Lib then resolved to its
	// real location, see stableLibDir).
	Zig string
	Lib string
}

// toolDir returns the directory of argv0 as an absolute path, without
// resolving symlinks. argv0 without a slash was found through PATH (a
// process started by name, e.g. CC=cc): it is looked up the same way.
func toolDir(argv0, cwd string, lookPath func(string) (string, error)) string {
	p := argv0
	if !strings.Contains(argv0, "/") && lookPath != nil {
		if found, err := lookPath(argv0); err == nil {
			p = found
		}
	}
	d := filepath.Dir(p)
	if !filepath.IsAbs(d) {
		d = filepath.Join(cwd, d)
	}
	return filepath.Clean(d)
}

// execrootOf returns the directory depth levels above dir (lexically).
func execrootOf(dir string, depth int) string {
	return filepath.Clean(filepath.Join(dir, strings.Repeat("../", depth)))
}

// resolveLayout computes the layout; sameDir reports whether two absolute
// paths name the same directory (for cwd spelled differently, e.g. through a
// symlinked /tmp); it may be nil.
func resolveLayout(c *config, dir, cwd string, sameDir func(a, b string) bool) layout {
	l := layout{Execroot: execrootOf(dir, c.Depth)}
	cwd = filepath.Clean(cwd)
	l.InExecroot = cwd == l.Execroot || (sameDir != nil && sameDir(cwd, l.Execroot))
	l.Zig = resolveIn(l, c.Zig)
	l.Lib = resolveIn(l, c.Lib)
	if filepath.IsAbs(l.Lib) {
		l.Lib = stableLibDir(l.Lib, filepath.EvalSymlinks)
	}
	return l
}

// libMarker is a file every zig lib dir has (clang's builtin headers).
const libMarker = "include/stddef.h"

// stableLibDir returns the real location of an absolute zig lib dir when it
// is reached through symlinks, else lib itself.
//
// Why: zig's cache keys include the lib dir path string (the libc, crt and
// compiler-rt objects zig builds are hashed with their -I <lib>/... flags).
// Outside the execroot the launcher must pass an absolute path, and the
// absolute execroot differs for every sandboxed action
// (.../sandbox/linux-sandbox/<N>/execroot/_main), so each such link would
// rebuild libc (minutes). Bazel's sandbox and execroot reach the Zig SDK
// through symlinks into <output_base>/external/<repo>, a path that is the
// same for every action. Only the lib dir is resolved (never os.Args[0]);
// when nothing is a symlink (remote execution, hermetic sandbox) the path is
// used as it is.
func stableLibDir(lib string, evalSymlinks func(string) (string, error)) string {
	if r, err := evalSymlinks(lib); err == nil && r != lib {
		return r // the lib dir or one of its parents is a symlink
	}
	// Sandboxes symlink each input file, not directories: resolve a file
	// and take its lib dir, if it is a complete one.
	r, err := evalSymlinks(filepath.Join(lib, libMarker))
	if err != nil {
		return lib
	}
	d, ok := strings.CutSuffix(r, "/"+libMarker)
	if !ok || d == lib {
		return lib
	}
	if fi, err := os.Stat(filepath.Join(d, "libc")); err != nil || !fi.IsDir() {
		return lib
	}
	return d
}

func resolveIn(l layout, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	if l.InExecroot {
		p = filepath.Clean(p)
		// syscall.Exec does no PATH search, but keep an explicit ./ for a
		// bare name so that the path is never mistaken for a command name.
		if !strings.Contains(p, "/") {
			p = "./" + p
		}
		return p
	}
	return filepath.Join(l.Execroot, p)
}

// cacheDirFor returns the absolute zig cache dir: $RULES_GO_CROSS_ZIG_CACHE
// (relative to the working directory) when set, else config cache= (relative
// to the execroot).
func cacheDirFor(c *config, l layout, cwd string, getenv func(string) string) string {
	if v := getenv(cacheEnv); v != "" {
		if !filepath.IsAbs(v) {
			v = filepath.Join(cwd, v)
		}
		return filepath.Clean(v)
	}
	if filepath.IsAbs(c.Cache) {
		return filepath.Clean(c.Cache)
	}
	return filepath.Join(l.Execroot, c.Cache)
}

func sameDir(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false
	}
	return os.SameFile(sa, sb)
}
