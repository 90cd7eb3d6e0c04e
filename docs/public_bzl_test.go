// Package docs_test checks that every public .bzl file of the repository has reference docs
// rendered by //docs: an entry of _DOCS in docs/BUILD.bazel, which passes them as -documented.
package docs_test

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

var documented = flag.String("documented", "", "comma-separated name=//package:bzl_library=file.bzl entries: _DOCS of docs/BUILD.bazel")

// TestEveryPublicBzlDocumented walks the source tree (found through this package's BUILD.bazel
// in the runfiles, so the test is tagged external: Bazel runs it every time, not from its
// cache, since a new .bzl file is no input of it).
func TestEveryPublicBzlDocumented(t *testing.T) {
	if *documented == "" {
		t.Skip("needs -documented: run it with tools/bazel test //docs:docs_test")
	}
	build, err := filepath.EvalSymlinks("BUILD.bazel")
	if err != nil {
		t.Fatalf("finding the source tree through docs/BUILD.bazel in the runfiles: %v", err)
	}
	root := filepath.Dir(filepath.Dir(build))
	files, err := publicBzl(os.DirFS(root))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no public .bzl file under %s: the source tree was not found", root)
	}
	have := map[string]bool{}
	for _, pair := range strings.Split(*documented, ",") {
		f, err := documentedFile(pair)
		if err != nil {
			t.Fatal(err)
		}
		have[f] = true
	}
	for _, f := range files {
		if !have[f] {
			t.Error(missing(f))
		}
	}
}

// documentedFile returns the path of the .bzl file of a -documented entry
// name=//package:bzl_library=file.bzl.
func documentedFile(entry string) (string, error) {
	parts := strings.Split(entry, "=")
	if len(parts) != 3 || !strings.HasPrefix(parts[1], "//") || !strings.Contains(parts[1], ":") {
		return "", fmt.Errorf("-documented: %q is not name=//package:bzl_library=file.bzl", entry)
	}
	pkg, _, _ := strings.Cut(strings.TrimPrefix(parts[1], "//"), ":")
	return path.Join(pkg, parts[2]), nil
}

// publicBzl lists the public .bzl files of a source tree, sorted: every one outside a private/
// directory and outside tests/, examples/, docs/ and tools/ (hidden directories and symbolic
// links, such as bazel-out, are skipped).
func publicBzl(tree fs.FS) ([]string, error) {
	var out []string
	err := fs.WalkDir(tree, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "private" || slices.Contains([]string{"tests", "examples", "docs", "tools"}, p)) {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && strings.HasSuffix(p, ".bzl") {
			out = append(out, p)
		}
		return nil
	})
	slices.Sort(out)
	return out, err
}

// missing says what to add for the undocumented public .bzl file f: docs/<dir>.md for
// <dir>/defs.bzl, else docs/<dir>_<file>.md (slashes of dir as underscores).
func missing(f string) string {
	dir, file := path.Split(f)
	dir = strings.TrimSuffix(dir, "/")
	name := strings.ReplaceAll(dir, "/", "_")
	if file != "defs.bzl" {
		name += "_" + strings.TrimSuffix(file, ".bzl")
	}
	return fmt.Sprintf("%s is public but //docs does not render it: add %q: (\"//%s:<the bzl_library with %s>\", %q) to _DOCS in docs/BUILD.bazel, then run tools/bazel run //docs:update to write docs/%s.md (or move the file under a private/ directory)", f, name, dir, file, file, name)
}

func TestPublicBzl(t *testing.T) {
	tree := fstest.MapFS{
		"oci/defs.bzl":                {},
		"oci/extensions.bzl":          {},
		"oci/private/image.bzl":       {},
		"go/private/rules/x.bzl":      {},
		"platforms/defs.bzl":          {},
		"tests/foo/defs.bzl":          {},
		"examples/defs.bzl":           {},
		"docs/bzl_src.bzl":            {},
		"tools/x.bzl":                 {},
		".git/x.bzl":                  {},
		"oci/README.md":               {},
		"bench/tests/defs.bzl":        {},
		"bazel-out":                   {Mode: fs.ModeSymlink},
		"toolchains/extensions.bzl":   {},
		"toolchains/extensions.bzl.x": {},
	}
	got, err := publicBzl(tree)
	want := []string{"bench/tests/defs.bzl", "oci/defs.bzl", "oci/extensions.bzl", "platforms/defs.bzl", "toolchains/extensions.bzl"}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("publicBzl = %q, %v; want %q", got, err, want)
	}
}

func TestDocumentedFile(t *testing.T) {
	for _, tc := range []struct{ entry, want, err string }{
		{"oci=//oci:defs=defs.bzl", "oci/defs.bzl", ""},
		{"platforms_transitions=//platforms:transitions=transitions.bzl", "platforms/transitions.bzl", ""},
		{"x=//:root=x.bzl", "x.bzl", ""},
		{"oci=//oci=defs.bzl", "", "is not name=//package:bzl_library=file.bzl"},
		{"oci=defs.bzl", "", "is not name=//package:bzl_library=file.bzl"},
	} {
		got, err := documentedFile(tc.entry)
		if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("documentedFile(%q) = %q, %v; want %q, error containing %q", tc.entry, got, err, tc.want, tc.err)
		}
	}
}

func TestMissing(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"oci/defs.bzl", `add "oci": ("//oci:<the bzl_library with defs.bzl>", "defs.bzl")`},
		{"oci/extensions.bzl", `add "oci_extensions": ("//oci:<the bzl_library with extensions.bzl>", "extensions.bzl")`},
		{"go/cc/rules.bzl", `add "go_cc_rules": ("//go/cc:<the bzl_library with rules.bzl>", "rules.bzl")`},
	} {
		if got := missing(tc.file); !strings.HasPrefix(got, tc.file+" is public") || !strings.Contains(got, tc.want) {
			t.Errorf("missing(%s) = %q, want it to contain %q", tc.file, got, tc.want)
		}
	}
}
