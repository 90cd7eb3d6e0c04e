package gazelle

import (
	"strings"
	"testing"

	"github.com/bazelbuild/bazel-gazelle/rule"
	bzl "github.com/bazelbuild/buildtools/build"
)

func TestSyncCgoOnly(t *testing.T) {
	tests := []struct {
		name     string
		existing string // BUILD file content holding rule "x"; "" for none
		need     bool
		genHas   bool   // gen carries cgo_platforms_only()
		after    string // substring the existing rule must (still) have after sync; "" for none
		absent   bool   // the existing rule must have no target_compatible_with
	}{
		{name: "needed, new rule", need: true, genHas: true},
		{name: "needed, existing without", existing: `go_library(name = "x")`, need: true, genHas: true, absent: true},
		{name: "stale one is removed", existing: `go_library(name = "x", target_compatible_with = cgo_platforms_only())`, absent: true},
		{name: "a kept attribute stays", existing: "go_library(\n    name = \"x\",\n    target_compatible_with = cgo_platforms_only(),  # keep\n)", after: "cgo_platforms_only()"},
		{name: "a kept rule stays", existing: "# keep\ngo_library(\n    name = \"x\",\n    target_compatible_with = cgo_platforms_only(),\n)", after: "cgo_platforms_only()"},
		{name: "another value is the user's", existing: `go_library(name = "x", target_compatible_with = ["@platforms//os:linux"])`, after: `"@platforms//os:linux"`},
		{name: "cgo_platforms_only with arguments is not ours", existing: `go_library(name = "x", target_compatible_with = cgo_platforms_only(1))`, after: "cgo_platforms_only(1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gen := rule.NewRule("go_library", "x")
			var existing *rule.Rule
			var f *rule.File
			if tt.existing != "" {
				var err error
				f, err = rule.LoadData("BUILD.bazel", "", []byte(tt.existing+"\n"))
				if err != nil {
					t.Fatal(err)
				}
				existing = f.Rules[0]
			}
			syncCgoOnly(gen, existing, tt.need)
			if got := isCgoOnly(gen.Attr(attrCompatible)); got != tt.genHas {
				t.Errorf("generated rule has cgo_platforms_only() = %v, want %v", got, tt.genHas)
			}
			if existing == nil {
				return
			}
			f.Sync()
			out := string(bzl.Format(f.File))
			if tt.absent && strings.Contains(out, attrCompatible) {
				t.Errorf("existing rule still has %s:\n%s", attrCompatible, out)
			}
			if tt.after != "" && !strings.Contains(out, tt.after) {
				t.Errorf("existing rule lost %s:\n%s", tt.after, out)
			}
		})
	}
}
