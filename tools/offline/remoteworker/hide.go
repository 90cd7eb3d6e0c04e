package remoteworker

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
)

// hostToolPatterns name the programs in the root's /usr/bin that are a host toolchain: a C or
// C++ compiler, preprocessor, assembler or linker (Debian's Bazel depends on gcc), a Go
// command (golang-go is in the root for provisioning), or any other compiler a build could
// reach for. Actions must use the toolchains the build declares (rules_go's Go SDK, the zig
// toolchains), which come to the worker as inputs.
var hostToolPatterns = []string{
	"gcc*", "g++*", "cc", "c++", "cpp*", "c89*", "c99*", "clang*", "zig",
	"as", "ld", "ld.*", "gold",
	"*-linux-gnu-gcc*", "*-linux-gnu-g++*", "*-linux-gnu-cpp*", "*-linux-gnu-as", "*-linux-gnu-ld*",
	"go", "gofmt", "go-*", "gofmt-*",
}

// hiddenDirs are directories of the root replaced by an empty read-only tmpfs: libc headers,
// gcc's private programs, and every Debian Go installation (GOROOTs).
var hiddenDirGlobs = []string{
	"/usr/include", "/usr/lib/gcc", "/usr/libexec/gcc", "/usr/lib/go", "/usr/lib/go-*",
	"/usr/share/go", "/usr/share/go-*",
}

// isHostTool reports whether a file name in /usr/bin is a host toolchain program.
func isHostTool(name string) bool {
	for _, p := range hostToolPatterns {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}

// hiddenPaths returns, as absolute host paths, the regular files of root's /usr/bin to cover
// with the stub and the directories of root to cover with an empty tmpfs. Symbolic links are
// left alone: each points at a file or directory that is itself covered (gcc -> gcc-14,
// go -> ../lib/go-1.27/bin/go), and mounting over a link would follow it anyway.
func hiddenPaths(root string) (files, dirs []string, err error) {
	entries, err := os.ReadDir(filepath.Join(root, "usr/bin"))
	if err != nil {
		return nil, nil, fmt.Errorf("listing the offline root's /usr/bin: %w", err)
	}
	for _, e := range entries {
		if e.Type().IsRegular() && isHostTool(e.Name()) {
			files = append(files, filepath.Join(root, "usr/bin", e.Name()))
		}
	}
	for _, g := range hiddenDirGlobs {
		matches, err := filepath.Glob(filepath.Join(root, g))
		if err != nil {
			return nil, nil, err
		}
		for _, m := range matches {
			if fi, err := os.Lstat(m); err == nil && fi.IsDir() {
				dirs = append(dirs, m)
			}
		}
	}
	sort.Strings(dirs)
	return files, dirs, nil
}

// stubScript is what a hidden host tool runs instead.
const stubScript = `#!/bin/sh
echo "rules_go_cross remote worker: $0: host toolchains are hidden from remote actions; a C compiler comes from the zig toolchains (--platforms=//platforms:linux_<arch>_<libc>), Go from rules_go's SDK" >&2
exit 127
`
