// Package srcfacts gathers linkmode facts from source files, without the go
// command: what a tool can know while it writes BUILD files (the gazelle
// extension in go/gazelle), where `go list` is not at hand.
//
// Read reads one directory with go/build for GOOS=linux and a GOARCH, with
// the cgo build constraint satisfied (as package golist lists packages with
// CGO_ENABLED=1) and the given build tags. Std completes the facts for a
// standard library import from a table of the standard packages that reach
// net, os/user or plugin (stdlib_table.go, checked against `go list` by the
// tests).
package srcfacts

import (
	"errors"
	"fmt"
	"go/build"

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
	ctx := build.Context{
		GOOS:        "linux",
		GOARCH:      string(arch),
		CgoEnabled:  true,
		Compiler:    "gc",
		BuildTags:   tags,
		ToolTags:    build.Default.ToolTags,
		ReleaseTags: build.Default.ReleaseTags,
	}
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
