// Package srcfacts gathers linkmode facts from source files, without the go
// command: what a tool can know while it writes BUILD files (the gazelle
// extension in go/gazelle), where `go list` is not at hand.
//
// Read reads one directory with go/build for GOOS=linux and a GOARCH, with
// the cgo build constraint satisfied (as package golist lists packages with
// CGO_ENABLED=1) and the given build tags; ReadFiles reads a package given
// as its list of files (a Bazel target's srcs, which may lie in several
// directories of the execution root). Std completes the facts for a
// standard library import from a table of the standard packages that reach
// net, os/user or plugin (stdlib_table.go, checked against `go list` by the
// tests).
package srcfacts

import (
	"errors"
	"fmt"
	"go/build"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
)

// Source is a package read from a directory.
type Source struct {
	// Name is the package name (clause), e.g. "main".
	Name string
	// Package holds the facts; test files are left out.
	Package linkmode.Package
}

// Read reads the Go package in dir as built for linux/arch with cgo enabled
// and the build tags tags, and names it importPath. It returns nil and no
// error when no Go file in dir is built for linux/arch.
func Read(dir, importPath string, arch linkmode.Arch, tags []string) (*Source, error) {
	return read(context(arch, tags), dir, importPath, arch)
}

// virtualDir is the directory ReadFiles shows go/build: it holds exactly the
// given files.
const virtualDir = "/srcfacts-files"

// ReadFiles reads the Go package made of files (paths; test files and files
// not built for linux/arch are left out, as by Read) as built for linux/arch
// with cgo enabled and the build tags tags. Only these files are read, not
// their directories. It returns nil and no error when no Go file is built for
// linux/arch.
func ReadFiles(files []string, importPath string, arch linkmode.Arch, tags []string) (*Source, error) {
	byName := map[string]string{}
	var infos []fs.FileInfo
	for _, f := range files {
		name := filepath.Base(f)
		if prev, ok := byName[name]; ok {
			return nil, fmt.Errorf("package %s has two source files named %s (%s and %s): go/build reads one directory; rename one", importPath, name, prev, f)
		}
		st, err := os.Stat(f)
		if err != nil {
			return nil, fmt.Errorf("package %s: %v", importPath, err)
		}
		byName[name] = f
		infos = append(infos, st)
	}
	sort.Slice(infos, func(i, j int) bool { return infos[i].Name() < infos[j].Name() })
	ctx := context(arch, tags)
	ctx.IsDir = func(path string) bool { return path == virtualDir }
	ctx.ReadDir = func(dir string) ([]fs.FileInfo, error) {
		if dir != virtualDir {
			return nil, fmt.Errorf("srcfacts: no directory %s", dir)
		}
		return infos, nil
	}
	ctx.OpenFile = func(path string) (io.ReadCloser, error) {
		real, ok := byName[filepath.Base(path)]
		if !ok || filepath.Dir(path) != virtualDir {
			return nil, fmt.Errorf("srcfacts: %s is not among the package's files", path)
		}
		return os.Open(real)
	}
	return read(ctx, virtualDir, importPath, arch)
}

func context(arch linkmode.Arch, tags []string) build.Context {
	return build.Context{
		GOOS:        "linux",
		GOARCH:      string(arch),
		CgoEnabled:  true,
		Compiler:    "gc",
		BuildTags:   tags,
		ToolTags:    build.Default.ToolTags,
		ReleaseTags: build.Default.ReleaseTags,
	}
}

func read(ctx build.Context, dir, importPath string, arch linkmode.Arch) (*Source, error) {
	bp, err := ctx.ImportDir(dir, 0)
	var noGo *build.NoGoError
	if errors.As(err, &noGo) {
		return nil, nil
	}
	var multi *build.MultiplePackageError
	if errors.As(err, &multi) {
		return nil, fmt.Errorf("%s holds more than one package for linux/%s (%v): keep one package per directory, or exclude files with build constraints", dir, arch, err)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the Go package in %s for linux/%s: %v", dir, arch, err)
	}
	return &Source{
		Name: bp.Name,
		Package: linkmode.FromSources(importPath, false, linkmode.Sources{
			CgoFiles:     bp.CgoFiles,
			CFiles:       bp.CFiles,
			CXXFiles:     bp.CXXFiles,
			MFiles:       bp.MFiles,
			FFiles:       bp.FFiles,
			SwigFiles:    bp.SwigFiles,
			SwigCXXFiles: bp.SwigCXXFiles,
			Imports:      bp.Imports,
		}),
	}, nil
}

// Std returns the facts for the standard package imp: imp itself, importing
// the packages among net, os/user and plugin that it depends on, and those
// packages. Summarize then sees them used, as with `go list -deps`.
func Std(imp string) []linkmode.Package {
	reached := stdReaches[imp]
	out := []linkmode.Package{{ImportPath: imp, Standard: true, Imports: reached}}
	for _, r := range reached {
		if r != imp {
			out = append(out, linkmode.Package{ImportPath: r, Standard: true})
		}
	}
	return out
}

// PrefersCgo lists the standard packages whose use changes a plan (see
// linkmode.Summary.Uses).
var PrefersCgo = []string{linkmode.PkgNet, linkmode.PkgOSUser, linkmode.PkgPlugin}
