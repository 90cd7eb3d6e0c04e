package gazelle

import (
	"log"

	"github.com/bazelbuild/bazel-gazelle/config"
	"github.com/bazelbuild/bazel-gazelle/label"
	"github.com/bazelbuild/bazel-gazelle/repo"
	"github.com/bazelbuild/bazel-gazelle/resolve"
	"github.com/bazelbuild/bazel-gazelle/rule"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
)

// Resolve completes a main package's images once every directory is
// indexed: it follows the package graph, lets the planner choose, sets the
// index's platforms and target_compatible_with = cgo_platforms_only() on the
// go_image and the go_binary of a binary that needs a libc.
func (l *imageLang) Resolve(c *config.Config, ix *resolve.RuleIndex, _ *repo.RemoteCache, r *rule.Rule, imports interface{}, from label.Label) {
	m, ok := imports.(*mainPackage)
	if !ok {
		return
	}
	if m.sel == nil {
		ic := getConfig(c)
		mods := l.modCache(c)
		g := graph{
			local:  localPackages(c, ix),
			read:   func(rel, imp string) *dirInfo { return l.dirs.get(c, rel, imp) },
			cgoDep: ic.needsCgo,
			external: func(imp string, arch linkmode.Arch) *linkmode.Package {
				return mods.pkg(imp, arch, ic.buildTags)
			},
		}
		sel, err := choose(g.facts(m.dir), ic.platforms, ic.base)
		index := label.New(from.Repo, from.Pkg, m.indexName)
		if err != nil {
			log.Fatalf("%s: %v", index, err)
		}
		for _, w := range sel.warnings {
			log.Printf("%s: %s", index, w)
		}
		m.sel = &sel
	}
	if r.Name() == m.imageName {
		syncCgoOnly(r, m.existingImage, m.sel.needsLibc)
		syncCgoOnly(m.binary, m.existingBinary, m.sel.needsLibc)
		return
	}
	repoName := apparentRepo(c.ModuleToApparentName)
	var platforms []string
	for _, p := range m.sel.platforms {
		platforms = append(platforms, label.New(repoName, "platforms", p).String())
	}
	r.SetAttr("platforms", platforms)
}

// localPackages returns a function that finds the repository directory of
// an import path: from a gazelle:resolve override, else gazelle's index of
// the repository's go_library rules.
func localPackages(c *config.Config, ix *resolve.RuleIndex) func(imp string) (string, bool) {
	isLocal := func(l label.Label) bool { return l.Repo == "" || l.Repo == c.RepoName }
	return func(imp string) (string, bool) {
		spec := resolve.ImportSpec{Lang: "go", Imp: imp}
		if l, ok := resolve.FindRuleWithOverride(c, spec, "go"); ok {
			return l.Pkg, isLocal(l)
		}
		for _, res := range ix.FindRulesByImportWithConfig(c, spec, "go") {
			if isLocal(res.Label) {
				return res.Label.Pkg, true
			}
		}
		return "", false
	}
}
