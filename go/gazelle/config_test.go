package gazelle

import (
	"slices"
	"testing"
)

func TestApply(t *testing.T) {
	tests := []struct {
		key, value string
		check      func(*imageConfig) bool
		err        []string // substrings of the error
	}{
		{key: "go_image", value: "off", check: func(c *imageConfig) bool { return !c.enabled }},
		{key: "go_image", value: " on ", check: func(c *imageConfig) bool { return c.enabled }},
		{key: "go_image", value: "yes", err: []string{`unknown value "yes"`, "valid values: on, off"}},
		{key: "go_image_platforms", value: "linux_arm64_musl, linux_amd64,linux_arm64_musl", check: func(c *imageConfig) bool {
			return slices.Equal(c.platforms, []string{"linux_arm64_musl", "linux_amd64"})
		}},
		{key: "go_image_platforms", value: "", check: func(c *imageConfig) bool { return c.platforms == nil }},
		{key: "go_image_platforms", value: "linux_amd64,linux_arm64_mus", err: []string{`unknown platform "linux_arm64_mus"`, "valid platforms: linux_amd64, linux_amd64_musl, linux_amd64_glibc, linux_arm64, linux_arm64_musl, linux_arm64_glibc"}},
		{key: "go_image_platforms", value: "linux_amd64_none", err: []string{`unknown platform "linux_amd64_none"`}},
		{key: "go_image_platforms", value: " , ", err: []string{`no platform in ","`}},
		{key: "go_image_base", value: "glibc", check: func(c *imageConfig) bool { return c.base == "glibc" }},
		{key: "go_image_base", value: "distroless", err: []string{`unknown base "distroless"`, "valid bases: auto, static, musl, glibc", "# keep"}},
		{key: "go_image_cgo_deps", value: "example.org/sqlite, github.com/x/y", check: func(c *imageConfig) bool {
			return slices.Equal(c.cgoDeps, []string{"example.org/sqlite", "github.com/x/y"})
		}},
		{key: "go_image_cgo_deps", value: "", check: func(c *imageConfig) bool { return c.cgoDeps == nil }},
		{key: "go_image_cgo_deps", value: "./sqlite", err: []string{`"./sqlite" is not an import path`}},
		{key: "build_tags", value: "sqlite,prod", check: func(c *imageConfig) bool { return slices.Equal(c.buildTags, []string{"sqlite", "prod"}) }},
		{key: "go_naming_convention", value: "import", check: func(c *imageConfig) bool { return c.enabled && c.base == "auto" }},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			ic := defaultConfig()
			ic.platforms = []string{"linux_amd64"}
			ic.cgoDeps = []string{"example.org/old"}
			err := ic.apply(tt.key, tt.value)
			if !checkErr(t, err, tt.err) {
				return
			}
			if !tt.check(ic) {
				t.Errorf("config after %s %q: %+v", tt.key, tt.value, ic)
			}
		})
	}
}

func TestCloneIsIndependent(t *testing.T) {
	parent := defaultConfig()
	if err := parent.apply("go_image_platforms", "linux_amd64,linux_arm64"); err != nil {
		t.Fatal(err)
	}
	child := parent.clone()
	child.platforms[0] = "linux_arm64_glibc"
	if err := child.apply("go_image", "off"); err != nil {
		t.Fatal(err)
	}
	if parent.platforms[0] != "linux_amd64" || !parent.enabled {
		t.Errorf("changing the child changed the parent: %+v", parent)
	}
}

func TestNeedsCgo(t *testing.T) {
	ic := defaultConfig()
	if err := ic.apply("go_image_cgo_deps", "example.org/sqlite"); err != nil {
		t.Fatal(err)
	}
	for imp, want := range map[string]bool{
		"example.org/sqlite":       true,
		"example.org/sqlite/vfs":   true,
		"example.org/sqlite3":      false,
		"example.org":              false,
		"github.com/other/sqlite3": false,
	} {
		if got := ic.needsCgo(imp); got != want {
			t.Errorf("needsCgo(%q) = %v, want %v", imp, got, want)
		}
	}
}
