package gazelle

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
)

// repoDirs is a fake repository: import path -> directory and its package
// per architecture.
type repoDirs map[string]struct {
	rel string
	dir *dirInfo
}

func (r repoDirs) graph(cgoDeps ...string) graph {
	ic := defaultConfig()
	ic.cgoDeps = cgoDeps
	return graph{
		local: func(imp string) (string, bool) {
			d, ok := r[imp]
			return d.rel, ok
		},
		read: func(rel, imp string) *dirInfo {
			for _, d := range r {
				if d.rel == rel {
					return d.dir
				}
			}
			return &dirInfo{pkgs: map[linkmode.Arch]*linkmode.Package{}}
		},
		cgoDep: ic.needsCgo,
	}
}

func samePkg(p linkmode.Package) *dirInfo {
	return &dirInfo{pkgs: map[linkmode.Arch]*linkmode.Package{linkmode.ArchAMD64: &p, linkmode.ArchARM64: &p}}
}

func TestGraphFacts(t *testing.T) {
	repo := repoDirs{
		"example.com/m/lib":    {"lib", samePkg(linkmode.Package{ImportPath: "example.com/m/lib", Imports: []string{"example.com/m/cgolib", "net/http"}})},
		"example.com/m/cgolib": {"cgolib", samePkg(linkmode.Package{ImportPath: "example.com/m/cgolib", CgoFiles: []string{"c.go"}, Imports: []string{"C"}})},
		"example.com/m/armonly": {"armonly", &dirInfo{pkgs: map[linkmode.Arch]*linkmode.Package{
			linkmode.ArchARM64: {ImportPath: "example.com/m/armonly", CFiles: []string{"neon.c"}},
		}}},
		"example.com/m/cycle": {"cycle", samePkg(linkmode.Package{ImportPath: "example.com/m/cycle", Imports: []string{"example.com/m/lib", "example.com/m/cycle"}})},
	}
	tests := []struct {
		name    string
		main    linkmode.Package
		cgoDeps []string
		needCgo []string // NeedCgoPaths on both architectures
		usesNet bool
		listed  []string // non-standard packages in the facts, sorted
	}{
		{
			name:   "pure main, standard imports only",
			main:   linkmode.Package{ImportPath: "example.com/m/cmd", Imports: []string{"fmt"}},
			listed: []string{"example.com/m/cmd"},
		},
		{
			name:    "repository packages are followed to a cgo package and net",
			main:    linkmode.Package{ImportPath: "example.com/m/cmd", Imports: []string{"example.com/m/lib"}},
			needCgo: []string{"example.com/m/cgolib"},
			usesNet: true,
			listed:  []string{"example.com/m/cgolib", "example.com/m/cmd", "example.com/m/lib"},
		},
		{
			name:    "import cycles and repeated imports are read once",
			main:    linkmode.Package{ImportPath: "example.com/m/cmd", Imports: []string{"example.com/m/cycle", "example.com/m/lib"}},
			needCgo: []string{"example.com/m/cgolib"},
			usesNet: true,
			listed:  []string{"example.com/m/cgolib", "example.com/m/cmd", "example.com/m/cycle", "example.com/m/lib"},
		},
		{
			name:   "third-party packages are listed, not read, and pure",
			main:   linkmode.Package{ImportPath: "example.com/m/cmd", Imports: []string{"example.org/sqlite"}},
			listed: []string{"example.com/m/cmd", "example.org/sqlite"},
		},
		{
			name:    "go_image_cgo_deps marks a third-party package",
			main:    linkmode.Package{ImportPath: "example.com/m/cmd", Imports: []string{"example.org/sqlite/driver"}},
			cgoDeps: []string{"example.org/sqlite"},
			needCgo: []string{"example.org/sqlite/driver"},
			listed:  []string{"example.com/m/cmd", "example.org/sqlite/driver"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			facts := repo.graph(tt.cgoDeps...).facts(samePkg(tt.main))
			for _, arch := range linkmode.Arches {
				f := facts[arch]
				if f == nil {
					t.Fatalf("no facts for %s", arch)
				}
				s := f.Summarize()
				if got := s.NeedCgoPaths(); !slices.Equal(got, tt.needCgo) {
					t.Errorf("%s: need cgo %q, want %q", arch, got, tt.needCgo)
				}
				if s.Uses(linkmode.PkgNet) != tt.usesNet {
					t.Errorf("%s: uses net = %v, want %v", arch, s.Uses(linkmode.PkgNet), tt.usesNet)
				}
				var listed []string
				for _, p := range f.Packages {
					if !p.Standard {
						listed = append(listed, p.ImportPath)
					}
				}
				slices.Sort(listed)
				if !slices.Equal(listed, tt.listed) {
					t.Errorf("%s: packages %q, want %q", arch, listed, tt.listed)
				}
			}
		})
	}
}

func TestGraphFactsPerArchitecture(t *testing.T) {
	repo := repoDirs{
		"example.com/m/armonly": {"armonly", &dirInfo{pkgs: map[linkmode.Arch]*linkmode.Package{
			linkmode.ArchARM64: {ImportPath: "example.com/m/armonly", CFiles: []string{"neon.c"}},
		}}},
	}
	main := &dirInfo{pkgs: map[linkmode.Arch]*linkmode.Package{
		linkmode.ArchAMD64: {ImportPath: "example.com/m/cmd", Imports: []string{"example.com/m/armonly"}},
		linkmode.ArchARM64: {ImportPath: "example.com/m/cmd", Imports: []string{"example.com/m/armonly"}},
	}}
	facts := repo.graph().facts(main)
	if got := facts[linkmode.ArchAMD64].Summarize().NeedCgoPaths(); len(got) != 0 {
		t.Errorf("amd64 needs cgo for %q, want nothing (the package has no amd64 files)", got)
	}
	if got, want := facts[linkmode.ArchARM64].Summarize().NeedCgoPaths(), []string{"example.com/m/armonly"}; !slices.Equal(got, want) {
		t.Errorf("arm64 needs cgo for %q, want %q", got, want)
	}
	onlyAMD64 := &dirInfo{pkgs: map[linkmode.Arch]*linkmode.Package{linkmode.ArchAMD64: main.pkgs[linkmode.ArchAMD64]}}
	if f := repo.graph().facts(onlyAMD64); f[linkmode.ArchARM64] != nil {
		t.Errorf("facts for arm64 of a main package without arm64 files: %+v", f[linkmode.ArchARM64])
	}
}

func TestGraphFactsModuleCache(t *testing.T) {
	// A repository whose go.mod requires a cgo driver (found in a module cache made here) and a
	// module that is not downloaded.
	root := t.TempDir()
	write := func(rel, content string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("repo/go.mod", "module example.com/m\n\ngo 1.26\n\nrequire (\n\tgithub.com/Some/orm v1.2.0\n\tgithub.com/x/sqlite v1.0.0\n\tgithub.com/x/absent v0.1.0\n)\n")
	// An ORM (pure) whose driver package imports the cgo driver: followed through the cache.
	write("cache/github.com/!some/orm@v1.2.0/driver/driver.go", "package driver\n\nimport _ \"github.com/x/sqlite\"\n")
	write("cache/github.com/x/sqlite@v1.0.0/sqlite.go", "//go:build cgo\n\npackage sqlite\n\n// int one(void) { return 1; }\nimport \"C\"\n")
	write("cache/github.com/x/sqlite@v1.0.0/stub.go", "//go:build !cgo\n\npackage sqlite\n")
	mods := newModCache(filepath.Join(root, "repo/go.mod"), filepath.Join(root, "cache"))
	g := repoDirs{}.graph()
	g.external = func(imp string, arch linkmode.Arch) *linkmode.Package { return mods.pkg(imp, arch, nil) }

	for _, c := range []struct {
		name    string
		imports []string
		needCgo []string
	}{
		{"a cgo driver in the module cache", []string{"github.com/x/sqlite"}, []string{"github.com/x/sqlite"}},
		{"reached through another module", []string{"github.com/Some/orm/driver"}, []string{"github.com/x/sqlite"}},
		{"a module that is not downloaded: unknown, pure", []string{"github.com/x/absent/pkg"}, nil},
		{"not required by go.mod", []string{"github.com/y/other"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			main := linkmode.Package{ImportPath: "example.com/m/cmd", Imports: c.imports}
			for arch, f := range g.facts(samePkg(main)) {
				if got := f.Summarize().NeedCgoPaths(); !slices.Equal(got, c.needCgo) {
					t.Errorf("%s: packages needing cgo %v, want %v", arch, got, c.needCgo)
				}
			}
		})
	}
}
