package gazelle

import (
	"flag"
	"fmt"
	"log"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bazelbuild/bazel-gazelle/config"
	"github.com/bazelbuild/bazel-gazelle/rule"
	"golang.org/x/mod/module"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
)

// Directives.
const (
	directiveImage     = "go_image"           // on | off
	directivePlatforms = "go_image_platforms" // comma-separated platform names; empty: the planner's choice
	directiveBase      = "go_image_base"      // auto or a base kind (Bases)
	directiveCgoDeps   = "go_image_cgo_deps"  // comma-separated import paths of third-party packages that need cgo
	// directiveBuildTags is the go extension's directive; it is read here so
	// that sources are read with the same tags.
	directiveBuildTags = "build_tags"
)

// baseAuto lets go_image pick the smallest base the binary starts on.
const baseAuto = "auto"

// Bases are the values of go_image_base: auto and the base kinds
// (linkmode.BaseKinds), which go_image(base = ...) takes by name too.
var Bases = func() []string {
	out := []string{baseAuto}
	for _, k := range linkmode.BaseKinds {
		out = append(out, string(k))
	}
	return out
}()

// imageConfig is the configuration of one directory. A directory inherits
// its parent's; each directive replaces the inherited value.
type imageConfig struct {
	enabled   bool
	platforms []string // nil: chosen from the package graph
	base      string
	cgoDeps   []string // import paths (and their subpackages) that need cgo
	buildTags []string
}

func defaultConfig() *imageConfig {
	return &imageConfig{enabled: true, base: baseAuto}
}

func (ic *imageConfig) clone() *imageConfig {
	c := *ic
	c.platforms = slices.Clone(ic.platforms)
	c.cgoDeps = slices.Clone(ic.cgoDeps)
	c.buildTags = slices.Clone(ic.buildTags)
	return &c
}

// getConfig returns the configuration for c's directory.
func getConfig(c *config.Config) *imageConfig {
	if ic, ok := c.Exts[languageName].(*imageConfig); ok {
		return ic
	}
	return defaultConfig()
}

// apply applies one directive to ic. The error names the bad value and
// the valid ones.
func (ic *imageConfig) apply(key, value string) error {
	value = strings.TrimSpace(value)
	switch key {
	case directiveImage:
		switch value {
		case "on":
			ic.enabled = true
		case "off":
			ic.enabled = false
		default:
			return fmt.Errorf("unknown value %q; valid values: on, off", value)
		}
	case directivePlatforms:
		if value == "" {
			ic.platforms = nil
			return nil
		}
		var names []string
		for _, name := range splitList(value) {
			if !slices.Contains(linkmode.Platforms(), name) {
				return fmt.Errorf("unknown platform %q; valid platforms: %s (or an empty value for the planner's choice)", name, strings.Join(linkmode.Platforms(), ", "))
			}
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
		if len(names) == 0 {
			return fmt.Errorf("no platform in %q; valid platforms: %s (or an empty value for the planner's choice)", value, strings.Join(linkmode.Platforms(), ", "))
		}
		ic.platforms = names
	case directiveBase:
		if !slices.Contains(Bases, value) {
			return fmt.Errorf("unknown base %q; valid bases: %s (for a base of your own, write base = \"@my_bases//:glibc\",  # keep on the go_image)", value, strings.Join(Bases, ", "))
		}
		ic.base = value
	case directiveCgoDeps:
		var paths []string
		for _, p := range splitList(value) {
			if err := module.CheckImportPath(p); err != nil {
				return fmt.Errorf("%q is not an import path (%v); list the import paths of packages that need cgo, comma-separated", p, err)
			}
			paths = append(paths, p)
		}
		ic.cgoDeps = paths
	case directiveBuildTags:
		ic.buildTags = splitList(value)
	}
	return nil
}

// needsCgo reports whether imp is one of ic.cgoDeps or below one.
func (ic *imageConfig) needsCgo(imp string) bool {
	for _, p := range ic.cgoDeps {
		if imp == p || strings.HasPrefix(imp, p+"/") {
			return true
		}
	}
	return false
}

func splitList(value string) []string {
	var out []string
	for _, s := range strings.Split(value, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (*imageLang) RegisterFlags(*flag.FlagSet, string, *config.Config) {}

func (*imageLang) CheckFlags(*flag.FlagSet, *config.Config) error { return nil }

func (*imageLang) KnownDirectives() []string {
	return []string{directiveImage, directivePlatforms, directiveBase, directiveCgoDeps}
}

// Configure reads the directives of f. A bad value stops gazelle before it
// writes anything, with the file, the directive and the valid values.
func (*imageLang) Configure(c *config.Config, rel string, f *rule.File) {
	ic := getConfig(c).clone()
	if f != nil {
		for _, d := range f.Directives {
			if err := ic.apply(d.Key, d.Value); err != nil {
				log.Fatalf("%s: # gazelle:%s %s: %v", relPath(c, f), d.Key, d.Value, err)
			}
		}
	}
	c.Exts[languageName] = ic
}

// relPath returns f's path relative to the repository root.
func relPath(c *config.Config, f *rule.File) string {
	if r, err := filepath.Rel(c.RepoRoot, f.Path); err == nil {
		return filepath.ToSlash(r)
	}
	return f.Path
}
