package linkmode

import (
	"fmt"
	"sort"
	"strings"
)

// Facts describe the package graph of one binary: the main package and all
// of its dependencies. They come from `go list -deps -json` (see package
// golist) or from a JSON file written by a Bazel rule.
//
// Facts are gathered with cgo enabled so that files guarded by the cgo
// build constraint are listed; a package that only has optional cgo files
// still counts as needing cgo, because its pure-Go fallback usually fails
// at run time.
type Facts struct {
	// Tags are the build tags the facts were gathered with. They are kept
	// in every plan.
	Tags []string `json:"tags,omitempty"`
	// Packages are the packages of the graph. Standard library packages may
	// be omitted; then the stdlib packages that prefer cgo (net, os/user,
	// plugin) are detected from Imports.
	Packages []Package `json:"packages"`
}

// Package is what the planner needs to know about one package.
type Package struct {
	ImportPath string `json:"import_path"`
	// Standard marks standard library packages. Their own cgo files
	// (runtime/cgo, net, os/user) are optional and never force cgo on.
	Standard bool `json:"standard,omitempty"`
	// Cgo is true when the package is built with cgo even if the file
	// lists below are not given (rules_go: go_library cgo = True).
	Cgo bool `json:"cgo,omitempty"`
	// CgoReason says why Cgo is set when no file list shows it, e.g.
	// "is declared to need cgo by gazelle:go_image_cgo_deps"; the default is
	// "is built with cgo = True".
	CgoReason string `json:"cgo_reason,omitempty"`
	// CgoFiles are Go files with import "C".
	CgoFiles []string `json:"cgo_files,omitempty"`
	// CFiles are C, C++, Objective-C and Fortran sources (.c, .cc, .cpp,
	// .cxx, .m, .f, ...) compiled into the package.
	CFiles []string `json:"c_files,omitempty"`
	// SwigFiles are .swig and .swigcxx files.
	SwigFiles []string `json:"swig_files,omitempty"`
	// CDeps are C/C++ libraries linked into the package (Bazel cdeps labels).
	CDeps []string `json:"cdeps,omitempty"`
	// Imports are the import paths the package imports directly.
	Imports []string `json:"imports,omitempty"`
}

// Sources are a package's file lists as `go list -json` and go/build name
// them (the JSON field names are go list's). FromSources turns them into a
// Package, so that every gatherer counts the same files as C sources.
type Sources struct {
	CgoFiles     []string
	CFiles       []string
	CXXFiles     []string
	MFiles       []string
	FFiles       []string
	SwigFiles    []string
	SwigCXXFiles []string
	Imports      []string
}

// FromSources returns the Package for importPath with the files of s: C,
// C++, Objective-C and Fortran files become CFiles, SWIG and SWIG C++ files
// SwigFiles.
func FromSources(importPath string, standard bool, s Sources) Package {
	var c []string
	for _, files := range [][]string{s.CFiles, s.CXXFiles, s.MFiles, s.FFiles} {
		c = append(c, files...)
	}
	return Package{
		ImportPath: importPath,
		Standard:   standard,
		CgoFiles:   s.CgoFiles,
		CFiles:     c,
		SwigFiles:  append(append([]string(nil), s.SwigFiles...), s.SwigCXXFiles...),
		Imports:    s.Imports,
	}
}

// The standard library packages that prefer cgo. Importing them never
// requires cgo except for plugin, whose Open needs dlopen.
const (
	PkgNet    = "net"
	PkgOSUser = "os/user"
	PkgPlugin = "plugin"
)

// stdCgo lists standard packages with cgo files that are recognised as
// standard even when Package.Standard is not set.
var stdCgo = map[string]bool{
	"runtime/cgo": true, "runtime/race": true, "runtime/msan": true, "runtime/asan": true,
	PkgNet: true, PkgOSUser: true, PkgPlugin: true,
}

// CgoNeed is a non-standard package that needs cgo, and why.
type CgoNeed struct {
	ImportPath string `json:"import_path"`
	Why        string `json:"why"` // e.g. `uses cgo (import "C" in a.go)`
}

// Summary is what the planner derives from Facts.
type Summary struct {
	// NeedCgo lists the non-standard packages that need cgo, sorted.
	NeedCgo []CgoNeed
	// StdUsers maps net, os/user and plugin, when in the graph, to the
	// packages that import them (sorted, non-standard first; may be empty
	// when the package itself was listed without importers).
	StdUsers map[string][]string
}

// Summarize derives the planner's view of f.
func (f Facts) Summarize() Summary {
	s := Summary{StdUsers: map[string][]string{}}
	std := map[string]bool{}
	for _, p := range f.Packages {
		if p.Standard {
			std[p.ImportPath] = true
		}
	}
	users := map[string]map[string]bool{}
	for _, p := range f.Packages {
		switch p.ImportPath {
		case PkgNet, PkgOSUser, PkgPlugin:
			if users[p.ImportPath] == nil {
				users[p.ImportPath] = map[string]bool{}
			}
		}
		for _, imp := range p.Imports {
			switch imp {
			case PkgNet, PkgOSUser, PkgPlugin:
				if users[imp] == nil {
					users[imp] = map[string]bool{}
				}
				users[imp][p.ImportPath] = true
			}
		}
		if p.Standard || stdCgo[p.ImportPath] {
			continue
		}
		if why := cgoWhy(p); why != "" {
			s.NeedCgo = append(s.NeedCgo, CgoNeed{ImportPath: p.ImportPath, Why: why})
		}
	}
	sort.Slice(s.NeedCgo, func(i, j int) bool { return s.NeedCgo[i].ImportPath < s.NeedCgo[j].ImportPath })
	for pkg, set := range users {
		var list []string
		for u := range set {
			list = append(list, u)
		}
		// Only for ordering: list the user's own packages first.
		isStd := func(p string) bool { return std[p] || !strings.Contains(strings.Split(p, "/")[0], ".") }
		sort.Slice(list, func(i, j int) bool {
			si, sj := isStd(list[i]), isStd(list[j])
			if si != sj {
				return !si
			}
			return list[i] < list[j]
		})
		s.StdUsers[pkg] = list
	}
	return s
}

// Uses reports whether the standard package pkg is in the graph.
func (s Summary) Uses(pkg string) bool {
	_, ok := s.StdUsers[pkg]
	return ok
}

// NeedCgoPaths returns the import paths of s.NeedCgo.
func (s Summary) NeedCgoPaths() []string {
	var out []string
	for _, n := range s.NeedCgo {
		out = append(out, n.ImportPath)
	}
	return out
}

// cgoWhy returns why p needs cgo, or "" when it does not.
func cgoWhy(p Package) string {
	var why []string
	if len(p.CgoFiles) > 0 {
		why = append(why, fmt.Sprintf("uses cgo (import \"C\" in %s)", list(p.CgoFiles, 2)))
	}
	if len(p.CFiles) > 0 {
		why = append(why, fmt.Sprintf("has C/C++ sources (%s)", list(p.CFiles, 2)))
	}
	if len(p.SwigFiles) > 0 {
		why = append(why, fmt.Sprintf("has SWIG files (%s)", list(p.SwigFiles, 2)))
	}
	if len(p.CDeps) > 0 {
		why = append(why, fmt.Sprintf("links C/C++ libraries (cdeps %s)", list(p.CDeps, 2)))
	}
	if len(why) == 0 && p.Cgo {
		reason := p.CgoReason
		if reason == "" {
			reason = "is built with cgo = True"
		}
		why = append(why, reason)
	}
	return strings.Join(why, " and ")
}

// list joins up to n items and says how many more there are.
func list(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}
