package gazelle

import (
	golang "github.com/bazelbuild/bazel-gazelle/language/go"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/srcfacts"
)

// declaredCgo is why a package named by go_image_cgo_deps needs cgo.
const declaredCgo = "is declared to need cgo (gazelle:go_image_cgo_deps)"

// graph finds and reads the packages of a binary.
type graph struct {
	// local returns the repository directory of the package imp, if the
	// repository has it.
	local func(imp string) (rel string, ok bool)
	// read returns the package of a repository directory.
	read func(rel, imp string) *dirInfo
	// cgoDep reports whether go_image_cgo_deps names imp.
	cgoDep func(imp string) bool
	// external returns a third-party package as built for linux/arch (from
	// the Go module cache), or nil when it cannot be read; nil: never.
	external func(imp string, arch linkmode.Arch) *linkmode.Package
}

// facts returns the facts of the binary whose main package is main, for
// each architecture main has Go files for: main, the repository packages it
// reaches (followed through their imports), the standard packages with what
// they reach of net, os/user and plugin, and the third-party packages it
// reaches: read from the Go module cache and followed through their imports
// when the cache has them (so a cgo driver plans only cgo platforms, as the
// build's cgo stub check demands), else listed unread, pure Go unless
// go_image_cgo_deps names them.
func (g graph) facts(main *dirInfo) map[linkmode.Arch]*linkmode.Facts {
	out := map[linkmode.Arch]*linkmode.Facts{}
	for _, arch := range linkmode.Arches {
		root := main.pkgs[arch]
		if root == nil {
			continue
		}
		f := &linkmode.Facts{}
		seen := map[string]bool{root.ImportPath: true}
		queue := []linkmode.Package{*root}
		for len(queue) > 0 {
			p := queue[0]
			queue = queue[1:]
			f.Packages = append(f.Packages, p)
			for _, imp := range p.Imports {
				if imp == "C" || seen[imp] {
					continue
				}
				seen[imp] = true
				if golang.IsStandard(imp) {
					f.Packages = append(f.Packages, srcfacts.Std(imp)...)
					continue
				}
				dep := linkmode.Package{ImportPath: imp}
				if rel, ok := g.local(imp); ok {
					if lp := g.read(rel, imp).pkgs[arch]; lp != nil {
						dep = *lp
					}
				} else if g.external != nil {
					if ep := g.external(imp, arch); ep != nil {
						dep = *ep
					}
				}
				if g.cgoDep(imp) {
					dep.Cgo, dep.CgoReason = true, declaredCgo
				}
				queue = append(queue, dep)
			}
		}
		out[arch] = f
	}
	return out
}
