package gazelle

import (
	"os"
	"slices"
	"testing"

	bzl "github.com/bazelbuild/buildtools/build"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
)

// The Starlark tables the Go side must agree with (paths from this package,
// the same under go test and bazel test; BUILD.bazel lists them as data).
const (
	platformsBzl = "../../platforms/private/platforms.bzl"
	ociDefsBzl   = "../../oci/defs.bzl"
)

// dictAssignment returns the dict literal assigned to name in the .bzl file.
func dictAssignment(t *testing.T, path, name string) *bzl.DictExpr {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := bzl.ParseBzl(path, data)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range f.Stmt {
		if a, ok := stmt.(*bzl.AssignExpr); ok {
			if id, ok := a.LHS.(*bzl.Ident); ok && id.Name == name {
				if d, ok := a.RHS.(*bzl.DictExpr); ok {
					return d
				}
			}
		}
	}
	t.Fatalf("%s: no dict literal assigned to %s", path, name)
	return nil
}

func stringValue(t *testing.T, e bzl.Expr) string {
	t.Helper()
	s, ok := e.(*bzl.StringExpr)
	if !ok {
		t.Fatalf("%s is not a string literal", bzl.FormatString(e))
	}
	return s.Value
}

// TestPlatformsMatchStarlark checks linkmode's platforms, which the
// go_image_platforms directive accepts, against PLATFORMS in
// platforms/private/platforms.bzl: the same names, GOARCH, libc and cgo.
func TestPlatformsMatchStarlark(t *testing.T) {
	var names []string
	for _, kv := range dictAssignment(t, platformsBzl, "PLATFORMS").List {
		name := stringValue(t, kv.Key)
		names = append(names, name)
		target, err := linkmode.ParsePlatform(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		call, ok := kv.Value.(*bzl.CallExpr)
		if !ok {
			t.Fatalf("PLATFORMS[%q] is not a struct(...)", name)
		}
		fields := map[string]bzl.Expr{}
		for _, arg := range call.List {
			if a, ok := arg.(*bzl.AssignExpr); ok {
				fields[a.LHS.(*bzl.Ident).Name] = a.RHS
			}
		}
		if got := stringValue(t, fields["goarch"]); got != string(target.Arch) {
			t.Errorf("%s: goarch %q in platforms.bzl, %q in linkmode", name, got, target.Arch)
		}
		if got := stringValue(t, fields["libc"]); got != string(target.Libc) {
			t.Errorf("%s: libc %q in platforms.bzl, %q in linkmode", name, got, target.Libc)
		}
		cgo, ok := fields["cgo"].(*bzl.Ident)
		if !ok || cgo.Name != map[bool]string{true: "True", false: "False"}[target.Libc != linkmode.LibcNone] {
			t.Errorf("%s: cgo = %s in platforms.bzl; linkmode gives every platform with a libc cgo, and none without", name, bzl.FormatString(fields["cgo"]))
		}
	}
	slices.Sort(names)
	want := slices.Sorted(slices.Values(linkmode.Platforms()))
	if !slices.Equal(names, want) {
		t.Errorf("platforms.bzl defines %q, linkmode.Platforms() %q", names, want)
	}
}

// TestBasesMatchStarlark checks the go_image_base values against the bases
// go_image(base = ...) accepts by name in oci/defs.bzl.
func TestBasesMatchStarlark(t *testing.T) {
	names := []string{baseAuto}
	for _, kv := range dictAssignment(t, ociDefsBzl, "_DEFAULT_BASES").List {
		names = append(names, stringValue(t, kv.Key))
	}
	if !slices.Equal(names, Bases) {
		t.Errorf("oci/defs.bzl takes base = %q, the go_image_base directive %q", names, Bases)
	}
}
