// Package gazelle is a gazelle language extension that writes rules_go_cross
// image targets: next to the go_binary of every `package main` it emits a
// go_image (<binary>_image) and a go_image_index (<binary>_index) for the
// platforms the link-mode planner (go/linkmode) allows for the binary's
// package graph. A binary whose packages need cgo gets the musl and glibc
// platforms and target_compatible_with = cgo_platforms_only(); a go_library
// whose own sources need cgo gets the same target_compatible_with.
//
// List it after the go extension, whose rules it reads:
//
//	gazelle_binary(
//	    name = "gazelle_binary",
//	    languages = [
//	        "@gazelle//language/proto",
//	        "@gazelle//language/go",
//	        "@rules_go_cross//go/gazelle",
//	    ],
//	)
//
// Directives (inherited by subdirectories, each replaces the inherited value):
//
//	# gazelle:go_image on|off                          (default on)
//	# gazelle:go_image_platforms linux_amd64,...       (default: chosen from the package graph)
//	# gazelle:go_image_base auto|static|musl|glibc     (default auto)
//	# gazelle:go_image_cgo_deps example.org/sqlite,... (third-party packages that need cgo)
//
// The package graph is followed through the repository's own packages
// (found with gazelle's rule index, read with go/linkmode/srcfacts);
// standard packages come from srcfacts' table; third-party packages are not
// read: they count as pure Go unless go_image_cgo_deps names them.
package gazelle

import (
	"path/filepath"
	"sync"

	"github.com/bazelbuild/bazel-gazelle/config"
	"github.com/bazelbuild/bazel-gazelle/label"
	"github.com/bazelbuild/bazel-gazelle/language"
	golang "github.com/bazelbuild/bazel-gazelle/language/go"
	"github.com/bazelbuild/bazel-gazelle/resolve"
	"github.com/bazelbuild/bazel-gazelle/rule"
)

// languageName is the extension's name (gazelle:lang, config key).
const languageName = "go_image"

// The module whose rules the generated targets use.
const moduleName = "rules_go_cross"

// Rule kinds.
const (
	kindImage     = "go_image"
	kindIndex     = "go_image_index"
	kindGoBinary  = "go_binary"
	kindGoLibrary = "go_library"
)

// Name suffixes of the generated rules: <binary>_image, <binary>_index.
const (
	suffixImage = "_image"
	suffixIndex = "_index"
)

type imageLang struct {
	goKinds map[string]rule.KindInfo // the go extension's, to match its rules
	dirs    *dirCache
	modsMu  sync.Mutex
	mods    *modCache // third-party packages, for the repository's go.mod
}

// modCache returns the module cache reader for the repository's go.mod.
func (l *imageLang) modCache(c *config.Config) *modCache {
	l.modsMu.Lock()
	defer l.modsMu.Unlock()
	if l.mods == nil {
		l.mods = newModCache(filepath.Join(c.RepoRoot, "go.mod"), moduleCacheRoot())
	}
	return l.mods
}

// NewLanguage returns the extension; gazelle_binary calls it.
func NewLanguage() language.Language {
	return &imageLang{goKinds: golang.NewLanguage().Kinds(), dirs: newDirCache()}
}

func (*imageLang) Name() string { return languageName }

func (*imageLang) Kinds() map[string]rule.KindInfo {
	return map[string]rule.KindInfo{
		kindImage: {
			NonEmptyAttrs:   map[string]bool{"binary": true},
			MergeableAttrs:  map[string]bool{"binary": true, "base": true},
			SubstituteAttrs: map[string]bool{"binary": true},
		},
		kindIndex: {
			NonEmptyAttrs:   map[string]bool{"image": true},
			MergeableAttrs:  map[string]bool{"image": true},
			SubstituteAttrs: map[string]bool{"image": true},
			ResolveAttrs:    map[string]bool{"platforms": true},
		},
	}
}

// Loads is used by gazelle without Bzlmod; ApparentLoads with it.
func (l *imageLang) Loads() []rule.LoadInfo { return l.ApparentLoads(nil) }

func (*imageLang) ApparentLoads(moduleToApparentName func(string) string) []rule.LoadInfo {
	repo := apparentRepo(moduleToApparentName)
	return []rule.LoadInfo{
		{Name: "@" + repo + "//oci:defs.bzl", Symbols: []string{kindImage, kindIndex}},
		{Name: "@" + repo + "//platforms:defs.bzl", Symbols: []string{cgoOnlyFunc}},
	}
}

// apparentRepo is the name the workspace gives rules_go_cross.
func apparentRepo(moduleToApparentName func(string) string) string {
	if moduleToApparentName != nil {
		if name := moduleToApparentName(moduleName); name != "" {
			return name
		}
	}
	return moduleName
}

func (*imageLang) Fix(*config.Config, *rule.File) {}

// Imports: nothing here is imported by other rules.
func (*imageLang) Imports(*config.Config, *rule.Rule, *rule.File) []resolve.ImportSpec { return nil }

func (*imageLang) Embeds(*rule.Rule, label.Label) []label.Label { return nil }
