package gazelle

import (
	"slices"
	"testing"

	"github.com/bazelbuild/bazel-gazelle/rule"
)

func TestStaleRules(t *testing.T) {
	const build = `
go_image(name = "app_image", binary = ":app")
go_image_index(name = "app_index", image = ":app_image")
go_image(name = "image", binary = ":app")
go_image(name = "tool_image", binary = ":other")
go_image_index(name = "tool_index", image = ":image")
go_binary(name = "cli_image", embed = [":cli"])
`
	f, err := rule.LoadData("BUILD.bazel", "", []byte(build))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		generated map[string]bool
		want      []string // kind:name of the empty rules
	}{
		{"nothing generated: ours are stale", nil, []string{"go_image:app_image", "go_image_index:app_index"}},
		{"ours generated again", map[string]bool{"app_image": true, "app_index": true}, nil},
		{"only the image generated", map[string]bool{"app_image": true}, []string{"go_image_index:app_index"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, r := range staleRules(f, tt.generated) {
				got = append(got, r.Kind()+":"+r.Name())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("stale rules %q, want %q (hand-written image, tool_image, tool_index and cli_image are not ours)", got, tt.want)
			}
		})
	}
	if got := staleRules(nil, nil); got != nil {
		t.Errorf("staleRules(nil) = %v, want nil", got)
	}
}
