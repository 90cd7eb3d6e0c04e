// Package hosttools finds the host toolchains of the offline root, which builds must not see.
// Debian's Bazel depends on gcc and provisioning uses Debian's Go, so the root has both; cgo
// must use the zig toolchains and Go rules_go's SDK, so a build or a remote action that reaches
// for a host compiler has to fail loudly instead of quietly using one. The namespace holder of
// local builds hides the C toolchain; the remote worker hides the Go one too.
package hosttools

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
)

// Set is a kind of host toolchain: the names of its programs in /usr/bin (path.Match patterns)
// and the directories it keeps its headers, libraries or GOROOT in.
type Set struct {
	Programs []string
	Dirs     []string
}

// C is the host C/C++ toolchain: compilers, preprocessor, assembler, linkers, libc headers and
// gcc's private programs.
var C = Set{
	Programs: []string{
		"gcc*", "g++*", "cc", "c++", "cpp*", "c89*", "c99*", "clang*",
		"as", "ld", "ld.bfd", "ld.gold", "gold",
		"*-linux-gnu-gcc*", "*-linux-gnu-g++*", "*-linux-gnu-cpp*", "*-linux-gnu-as", "*-linux-gnu-ld*",
	},
	Dirs: []string{"/usr/include", "/usr/lib/gcc", "/usr/libexec/gcc"},
}

// Go is Debian's Go: its commands and every GOROOT.
var Go = Set{
	Programs: []string{"go", "gofmt", "go-*", "gofmt-*"},
	Dirs:     []string{"/usr/lib/go-*", "/usr/share/go-*"},
}

// matches reports whether a file name in /usr/bin is one of the sets' programs.
func matches(name string, sets []Set) bool {
	for _, s := range sets {
		for _, p := range s.Programs {
			if ok, _ := path.Match(p, name); ok {
				return true
			}
		}
	}
	return false
}

// Paths returns, as paths under root, the regular files of root's /usr/bin that belong to the
// sets (to cover with a stub) and their directories that exist (to cover with an empty
// tmpfs). Symbolic links are left alone: each points at a file or directory that is itself
// covered (gcc -> gcc-14, cc -> /etc/alternatives/cc -> gcc, go -> ../lib/go-1.27/bin/go), and
// a mount on a link would land on its target anyway.
func Paths(root string, sets ...Set) (files, dirs []string, err error) {
	entries, err := os.ReadDir(filepath.Join(root, "usr/bin"))
	if err != nil {
		return nil, nil, fmt.Errorf("listing the offline root's /usr/bin: %w", err)
	}
	for _, e := range entries {
		if e.Type().IsRegular() && matches(e.Name(), sets) {
			files = append(files, filepath.Join(root, "usr/bin", e.Name()))
		}
	}
	for _, s := range sets {
		for _, g := range s.Dirs {
			found, err := filepath.Glob(filepath.Join(root, g))
			if err != nil {
				return nil, nil, err
			}
			for _, m := range found {
				if fi, err := os.Lstat(m); err == nil && fi.IsDir() {
					dirs = append(dirs, m)
				}
			}
		}
	}
	sort.Strings(dirs)
	return files, dirs, nil
}

// Stub is the script that stands in for each hidden program; who says what it is hidden from.
func Stub(who string) string {
	return "#!/bin/sh\necho \"rules_go_cross: $0: the host toolchains are hidden from " + who +
		"; cgo uses the zig toolchains (--platforms=//platforms:linux_<arch>_<libc>), Go rules_go's SDK\" >&2\nexit 127\n"
}
