package srcfacts

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRead(t *testing.T) {
	const cgoFile = "package p\n\n// int one(void) { return 1; }\nimport \"C\"\n\nvar One = C.one()\n"
	tests := []struct {
		name     string
		files    map[string]string
		arch     linkmode.Arch
		tags     []string
		wantNil  bool
		wantName string
		cgo      []string // CgoFiles
		c        []string // CFiles
		imports  []string
		err      string // substring of the error
	}{
		{
			name:     "pure main",
			files:    map[string]string{"main.go": "package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n)\n\nfunc main() { fmt.Println(http.StatusOK) }\n"},
			arch:     linkmode.ArchAMD64,
			wantName: "main",
			imports:  []string{"fmt", "net/http"},
		},
		{
			name:     "import C",
			files:    map[string]string{"p.go": cgoFile},
			arch:     linkmode.ArchAMD64,
			wantName: "p",
			cgo:      []string{"p.go"},
			imports:  []string{"C"},
		},
		{
			name:     "cgo on arm64 only, read for amd64",
			files:    map[string]string{"p.go": "package p\n", "p_arm64.go": cgoFile},
			arch:     linkmode.ArchAMD64,
			wantName: "p",
		},
		{
			name:     "cgo on arm64 only, read for arm64",
			files:    map[string]string{"p.go": "package p\n", "p_arm64.go": cgoFile},
			arch:     linkmode.ArchARM64,
			wantName: "p",
			cgo:      []string{"p_arm64.go"},
			imports:  []string{"C"},
		},
		{
			name:     "cgo behind a tag, without it",
			files:    map[string]string{"p.go": "package p\n", "q.go": "//go:build sqlite\n\n" + cgoFile},
			arch:     linkmode.ArchAMD64,
			wantName: "p",
		},
		{
			name:     "cgo behind a tag, with it",
			files:    map[string]string{"p.go": "package p\n", "q.go": "//go:build sqlite\n\n" + cgoFile},
			arch:     linkmode.ArchAMD64,
			tags:     []string{"sqlite"},
			wantName: "p",
			cgo:      []string{"q.go"},
			imports:  []string{"C"},
		},
		{
			name:     "the cgo constraint holds, !cgo files are left out",
			files:    map[string]string{"on.go": "//go:build cgo\n\npackage p\n\nimport \"os/user\"\n\nvar _ = user.Current\n", "off.go": "//go:build !cgo\n\npackage p\n\nimport \"os\"\n\nvar _ = os.Getuid\n"},
			arch:     linkmode.ArchARM64,
			wantName: "p",
			imports:  []string{"os/user"},
		},
		{
			name:     "C and C++ sources without import C",
			files:    map[string]string{"p.go": "package p\n", "a.c": "int a;\n", "b.cc": "int b;\n"},
			arch:     linkmode.ArchAMD64,
			wantName: "p",
			c:        []string{"a.c", "b.cc"},
		},
		{
			name:     "test files are not part of the package",
			files:    map[string]string{"p.go": "package p\n", "p_test.go": "package p\n\nimport \"net\"\n\nvar _ = net.Dial\n"},
			arch:     linkmode.ArchAMD64,
			wantName: "p",
		},
		{
			name:    "no Go file for the architecture",
			files:   map[string]string{"p_arm64.go": "package p\n"},
			arch:    linkmode.ArchAMD64,
			wantNil: true,
		},
		{
			name:  "two packages",
			files: map[string]string{"a.go": "package a\n", "b.go": "package b\n"},
			arch:  linkmode.ArchAMD64,
			err:   "holds more than one package for linux/amd64",
		},
		{
			name:  "syntax error",
			files: map[string]string{"a.go": "package a\n\nimport \"fmt\n"},
			arch:  linkmode.ArchAMD64,
			err:   "reading the Go package in",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			src, err := Read(dir, "example.com/p", tt.arch, tt.tags)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Read error = %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if tt.wantNil {
				if src != nil {
					t.Fatalf("Read = %+v, want nil (no Go file for linux/%s)", src, tt.arch)
				}
				return
			}
			if src == nil {
				t.Fatal("Read = nil, want a package")
			}
			p := src.Package
			if src.Name != tt.wantName || p.ImportPath != "example.com/p" {
				t.Errorf("name %q import path %q, want %q example.com/p", src.Name, p.ImportPath, tt.wantName)
			}
			if !slices.Equal(p.CgoFiles, tt.cgo) || !slices.Equal(p.CFiles, tt.c) || !slices.Equal(p.Imports, tt.imports) {
				t.Errorf("CgoFiles=%q CFiles=%q Imports=%q, want %q %q %q", p.CgoFiles, p.CFiles, p.Imports, tt.cgo, tt.c, tt.imports)
			}
		})
	}
}

func TestStd(t *testing.T) {
	tests := []struct {
		imp      string
		paths    []string // import paths of the returned packages
		usesNet  bool
		usesUser bool
	}{
		{"fmt", []string{"fmt"}, false, false},
		{"net", []string{"net"}, true, false},
		{"net/http", []string{"net/http", "net"}, true, false},
		{"archive/tar", []string{"archive/tar", "os/user"}, false, true},
		{"os/user", []string{"os/user"}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.imp, func(t *testing.T) {
			pkgs := Std(tt.imp)
			var paths []string
			for _, p := range pkgs {
				if !p.Standard {
					t.Errorf("%s is not marked standard", p.ImportPath)
				}
				paths = append(paths, p.ImportPath)
			}
			if !slices.Equal(paths, tt.paths) {
				t.Errorf("packages %q, want %q", paths, tt.paths)
			}
			s := linkmode.Facts{Packages: pkgs}.Summarize()
			if s.Uses(linkmode.PkgNet) != tt.usesNet || s.Uses(linkmode.PkgOSUser) != tt.usesUser {
				t.Errorf("uses net=%v os/user=%v, want %v %v", s.Uses(linkmode.PkgNet), s.Uses(linkmode.PkgOSUser), tt.usesNet, tt.usesUser)
			}
			if len(s.NeedCgo) != 0 {
				t.Errorf("standard packages never need cgo, got %v", s.NeedCgo)
			}
		})
	}
}

func TestReadFiles(t *testing.T) {
	const cgoFile = "package p\n\n// int one(void) { return 1; }\nimport \"C\"\n\nvar One = C.one()\n"
	tests := []struct {
		name    string
		dirs    []map[string]string // files per directory
		list    []string            // "<dir index>/<name>" of the files given to ReadFiles
		wantNil bool
		cgo     []string
		c       []string
		err     string
	}{
		{
			name: "only the listed files count, from two directories",
			dirs: []map[string]string{
				{"p.go": "package p\n", "other.go": cgoFile, "other.c": "int two(void) { return 2; }\n"},
				{"gen.go": cgoFile},
			},
			list: []string{"0/p.go", "1/gen.go"},
			cgo:  []string{"gen.go"},
		},
		{
			// golang.org/x/sys/unix: cgo = True in its BUILD file because of files for other
			// platforms and compilers; nothing of it is cgo for gc on linux.
			name: "C code only for gccgo and aix",
			dirs: []map[string]string{{
				"p.go":           "package p\n",
				"gccgo_c.c":      "//go:build gccgo\n\nint x;\n",
				"zsys_aix.go":    "//go:build aix && gccgo\n\n" + cgoFile,
				"syscall_cgo.go": "//go:build gccgo\n\n" + cgoFile,
			}},
			list: []string{"0/p.go", "0/gccgo_c.c", "0/zsys_aix.go", "0/syscall_cgo.go"},
		},
		{
			name: "C files and a cgo file built for linux",
			dirs: []map[string]string{{"p.go": cgoFile, "a.c": "int a;\n", "b.S": "\n", "a.h": ""}},
			list: []string{"0/p.go", "0/a.c", "0/b.S", "0/a.h"},
			cgo:  []string{"p.go"},
			c:    []string{"a.c"},
		},
		{
			name:    "no Go file for linux",
			dirs:    []map[string]string{{"p_windows.go": "package p\n"}},
			list:    []string{"0/p_windows.go"},
			wantNil: true,
		},
		{
			name: "two files with one name",
			dirs: []map[string]string{{"p.go": "package p\n"}, {"p.go": "package p\n"}},
			list: []string{"0/p.go", "1/p.go"},
			err:  "two source files named p.go",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var dirs []string
			for _, files := range tt.dirs {
				dirs = append(dirs, writeFiles(t, files))
			}
			var paths []string
			for _, l := range tt.list {
				i, name, _ := strings.Cut(l, "/")
				paths = append(paths, filepath.Join(dirs[i[0]-'0'], name))
			}
			src, err := ReadFiles(paths, "example.com/p", linkmode.ArchAMD64, nil)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ReadFiles error = %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantNil {
				if src != nil {
					t.Fatalf("ReadFiles = %+v, want nil", src)
				}
				return
			}
			if src == nil {
				t.Fatal("ReadFiles = nil")
			}
			if !slices.Equal(src.Package.CgoFiles, tt.cgo) || !slices.Equal(src.Package.CFiles, tt.c) {
				t.Errorf("cgo files %v, C files %v; want %v, %v", src.Package.CgoFiles, src.Package.CFiles, tt.cgo, tt.c)
			}
		})
	}
}
