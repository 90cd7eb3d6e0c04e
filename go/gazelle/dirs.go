package gazelle

import (
	"log"
	"os"
	"path/filepath"

	"github.com/bazelbuild/bazel-gazelle/config"
	"github.com/bazelbuild/bazel-gazelle/rule"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/srcfacts"
)

// dirInfo is what the extension knows about the Go package of one
// directory of the repository.
type dirInfo struct {
	// pkgs holds the package as built for each architecture; an
	// architecture is missing when no Go file is built for it.
	pkgs map[linkmode.Arch]*linkmode.Package
}

// needsCgo reports whether the package itself (not its imports) needs cgo
// on some architecture.
func (d *dirInfo) needsCgo() bool {
	for _, p := range d.pkgs {
		if len((linkmode.Facts{Packages: []linkmode.Package{*p}}).Summarize().NeedCgo) > 0 {
			return true
		}
	}
	return false
}

// dirCache reads each directory once per gazelle run.
type dirCache struct {
	dirs map[string]*dirInfo
}

func newDirCache() *dirCache { return &dirCache{dirs: map[string]*dirInfo{}} }

// get reads the package in directory rel of c's repository, named
// importPath: its Go sources for every architecture (with c's build tags)
// and the cdeps of the go_library and go_binary rules in its BUILD file.
// Problems are logged: the package then counts as having no Go files.
func (dc *dirCache) get(c *config.Config, rel, importPath string) *dirInfo {
	if d, ok := dc.dirs[rel]; ok {
		return d
	}
	d := &dirInfo{pkgs: map[linkmode.Arch]*linkmode.Package{}}
	dc.dirs[rel] = d
	dir := filepath.Join(c.RepoRoot, filepath.FromSlash(rel))
	cdeps := readCDeps(c, dir, rel)
	for _, arch := range linkmode.Arches {
		src, err := srcfacts.Read(dir, importPath, arch, getConfig(c).buildTags)
		if err != nil {
			log.Printf("%s: %v (its images are planned without this package; fix the error and run gazelle again)", importPath, err)
			continue
		}
		if src == nil {
			continue
		}
		p := src.Package
		p.CDeps = cdeps
		d.pkgs[arch] = &p
	}
	return d
}

// readCDeps returns the cdeps of the go_library and go_binary rules in the
// BUILD file of dir (as it is before this gazelle run writes anything).
func readCDeps(c *config.Config, dir, rel string) []string {
	for _, name := range c.ValidBuildFileNames {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		f, err := rule.LoadFile(path, rel)
		if err != nil {
			log.Printf("%s: %v (its cdeps are not seen by the image planner)", path, err)
			return nil
		}
		var cdeps []string
		for _, r := range f.Rules {
			if r.Kind() == kindGoLibrary || r.Kind() == kindGoBinary {
				cdeps = append(cdeps, r.AttrStrings("cdeps")...)
			}
		}
		return cdeps
	}
	return nil
}
