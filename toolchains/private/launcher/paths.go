package main

import (
	"fmt"
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
	// Zig is the zig executable as passed to exec: execroot-relative when
	// InExecroot, absolute otherwise.
	Zig string
	// Lib is zig's lib dir as given in launcher.cfg (execroot-relative
	// unless absolute).
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
	l := layout{Execroot: execrootOf(dir, c.Depth), Lib: filepath.Clean(c.Lib)}
	cwd = filepath.Clean(cwd)
	l.InExecroot = cwd == l.Execroot || (sameDir != nil && sameDir(cwd, l.Execroot))
	l.Zig = resolveIn(l, c.Zig)
	return l
}

// procCwd is the prefix that names the working directory of whichever
// process opens the path. zig makes its lib dir absolute when it is not
// inside the working directory, and that string goes into the cache keys of
// the C runtime (the -I flags of libc's sources) and into debug info. The
// absolute execroot differs for every sandboxed action and every machine;
// /proc/self/cwd/<execroot-relative path> is the same everywhere, so a C
// runtime built by one action (runtime.go) is a cache hit for every link.
const procCwd = "/proc/self/cwd/"

// zigLib returns zig's lib dir as passed to zig (ZIG_LIB_DIR).
//
//   - Compiles in the execroot get the execroot-relative path: the .d files
//     clang writes then name headers by execroot-relative paths, which
//     Bazel's include checking needs.
//   - Everything else (links, and every invocation from Go's temporary
//     directories) gets /proc/self/cwd/<relative path>: the spelling the C
//     runtime was built with. Outside the execroot the working directory
//     must then reach the execroot's top directory (see anchor).
//
// An absolute lib= (a config written by hand) is used as it is.
func (l layout) zigLib(link bool) string {
	if filepath.IsAbs(l.Lib) {
		return l.Lib
	}
	if l.InExecroot && !link {
		return l.Lib
	}
	return procCwd + l.Lib
}

// absLib is zig's lib dir as an absolute path (for answers to queries).
func (l layout) absLib() string {
	if filepath.IsAbs(l.Lib) {
		return l.Lib
	}
	return filepath.Join(l.Execroot, l.Lib)
}

// anchor makes the first component of the execroot-relative lib dir
// (usually "external") reachable from cwd when cwd is not the execroot, so
// that /proc/self/cwd/<lib> resolves: it creates cwd/<first> as a symlink to
// execroot/<first>. cwd is one of Go's temporary directories, removed with
// everything in it by Go or rules_go. An existing cwd/<first> that leads
// elsewhere is an error: zig would read the wrong files.
func anchor(l layout, cwd string) error {
	if l.InExecroot || filepath.IsAbs(l.Lib) {
		return nil
	}
	first, _, _ := strings.Cut(filepath.ToSlash(l.Lib), "/")
	if first == "" || first == "." || first == ".." {
		return fmt.Errorf("lib=%s: want a path inside the execroot", l.Lib)
	}
	link := filepath.Join(cwd, first)
	target := filepath.Join(l.Execroot, first)
	err := os.Symlink(target, link)
	if err == nil || !os.IsExist(err) {
		if err != nil {
			return fmt.Errorf("cannot create %s -> %s (zig's lib dir is passed as %s%s): %v", link, target, procCwd, l.Lib, err)
		}
		return nil
	}
	if sameDir(link, target) {
		return nil // made by an earlier invocation in the same directory
	}
	return fmt.Errorf("%s exists and is not %s: the launcher needs that name to reach zig's lib dir (%s%s) from %s", link, target, procCwd, l.Lib, cwd)
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

// sharedCacheDir returns the shared zig cache dir to use, or "" for a fresh
// cache per invocation (the default): $RULES_GO_CROSS_ZIG_CACHE (relative to
// the working directory) when set, else config cache= (relative to the
// execroot).
func sharedCacheDir(c *config, l layout, cwd string, getenv func(string) string) string {
	if v := getenv(cacheEnv); v != "" {
		if !filepath.IsAbs(v) {
			v = filepath.Join(cwd, v)
		}
		return filepath.Clean(v)
	}
	if c.Cache == "" {
		return ""
	}
	if filepath.IsAbs(c.Cache) {
		return filepath.Clean(c.Cache)
	}
	return filepath.Join(l.Execroot, c.Cache)
}

// runtimeDirs returns the absolute paths of the prebuilt C runtime pieces
// (runtime= in launcher.cfg, ':'-separated: the C part and the C++ part),
// nil when there is none.
func runtimeDirs(c *config, l layout) []string {
	var dirs []string
	for _, r := range strings.Split(c.Runtime, ":") {
		switch {
		case r == "":
		case filepath.IsAbs(r):
			dirs = append(dirs, filepath.Clean(r))
		default:
			dirs = append(dirs, filepath.Join(l.Execroot, r))
		}
	}
	return dirs
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
