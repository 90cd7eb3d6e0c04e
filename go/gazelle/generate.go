package gazelle

import (
	"strings"

	"github.com/bazelbuild/bazel-gazelle/config"
	"github.com/bazelbuild/bazel-gazelle/language"
	golang "github.com/bazelbuild/bazel-gazelle/language/go"
	"github.com/bazelbuild/bazel-gazelle/merger"
	"github.com/bazelbuild/bazel-gazelle/rule"
)

// mainPackage is a `package main` whose images are generated; Resolve
// completes them once every directory has been indexed.
type mainPackage struct {
	dir                  *dirInfo
	imageName, indexName string
	// binary is the go extension's generated go_binary; existingBinary and
	// existingImage are the rules of the BUILD file they are merged into
	// (nil when new).
	binary, existingBinary, existingImage *rule.Rule
	sel                                   *selection // set by the first Resolve
}

// GenerateRules runs after the go extension in each directory: it marks
// go_library rules whose sources need cgo, and for a go_binary emits
// <binary>_image and <binary>_index. With go_image off it emits nothing,
// and the images it generated earlier (found by name) are removed.
func (l *imageLang) GenerateRules(args language.GenerateArgs) language.GenerateResult {
	c := args.Config
	var res language.GenerateResult
	if !getConfig(c).enabled {
		res.Empty = staleRules(args.File, nil)
		return res
	}
	var binary *rule.Rule
	var libs []*rule.Rule
	for _, r := range args.OtherGen {
		switch r.Kind() {
		case kindGoBinary:
			binary = r
		case kindGoLibrary:
			libs = append(libs, r)
		}
	}
	if binary == nil && len(libs) == 0 {
		res.Empty = staleRules(args.File, nil)
		return res
	}
	importPath := golang.InferImportPath(c, args.Rel)
	for _, lib := range libs {
		if p := lib.AttrString("importpath"); p != "" {
			importPath = p
		}
	}
	dir := l.dirs.get(c, args.Rel, importPath)
	own := dir.needsCgo()
	for _, lib := range libs {
		syncCgoOnly(lib, l.existing(c, args.File, lib, l.goKinds), own)
	}
	if binary == nil {
		res.Empty = staleRules(args.File, nil)
		return res
	}

	m := &mainPackage{dir: dir, binary: binary, existingBinary: l.existing(c, args.File, binary, l.goKinds)}
	name := binary.Name()
	if m.existingBinary != nil {
		name = m.existingBinary.Name() // a renamed go_binary keeps its name
	}
	image := rule.NewRule(kindImage, name+suffixImage)
	image.SetAttr("binary", ":"+name)
	if base := getConfig(c).base; base != baseAuto {
		image.SetAttr("base", base)
	}
	index := rule.NewRule(kindIndex, name+suffixIndex)
	index.SetAttr("image", ":"+image.Name())
	m.imageName, m.indexName = image.Name(), index.Name()
	m.existingImage = l.existing(c, args.File, image, l.Kinds())

	res.Gen = []*rule.Rule{image, index}
	res.Imports = []interface{}{m, m}
	res.Empty = staleRules(args.File, map[string]bool{image.Name(): true, index.Name(): true})
	return res
}

// existing returns the rule of f that gazelle merges gen into, or nil.
func (*imageLang) existing(c *config.Config, f *rule.File, gen *rule.Rule, kinds map[string]rule.KindInfo) *rule.Rule {
	if f == nil {
		return nil
	}
	r, err := merger.Match(f.Rules, gen, kinds[gen.Kind()], c.AliasMap)
	if err != nil {
		return nil
	}
	return r
}

// staleRules returns empty rules for the images this extension generated in
// f (<name>_image with binary ":<name>", <name>_index with image
// ":<name>_image") that are not generated now, so that gazelle deletes them.
func staleRules(f *rule.File, generated map[string]bool) []*rule.Rule {
	if f == nil {
		return nil
	}
	var out []*rule.Rule
	for _, r := range f.Rules {
		if generated[r.Name()] {
			continue
		}
		switch r.Kind() {
		case kindImage:
			if stem, ok := strings.CutSuffix(r.Name(), suffixImage); ok && r.AttrString("binary") == ":"+stem {
				out = append(out, rule.NewRule(kindImage, r.Name()))
			}
		case kindIndex:
			if stem, ok := strings.CutSuffix(r.Name(), suffixIndex); ok && r.AttrString("image") == ":"+stem+suffixImage {
				out = append(out, rule.NewRule(kindIndex, r.Name()))
			}
		}
	}
	return out
}
