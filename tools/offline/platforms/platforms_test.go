package platforms

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, bzl string
		want      []string
	}{
		{"rows", "PLATFORMS = {\n    \"linux_amd64\": struct(cpu = \"x86_64\"),\n    \"linux_arm64_musl\": struct(cpu = \"aarch64\"),\n}\n", []string{"linux_amd64", "linux_arm64_musl"}},
		{"other indentation is not a row", "  \"linux_amd64\": struct(),\n        \"linux_arm64\": struct(),\n", nil},
		{"not a struct", "    \"linux_amd64\": \"x\",\n", nil},
		{"not linux", "    \"darwin_arm64\": struct(),\n", nil},
		{"empty", "", nil},
	} {
		if got := parse(tc.bzl); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: parse = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// The checkout's own table: at least the platform that tools/bazel's error messages suggest.
func TestNamesOfThisCheckout(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "..")
	if _, err := os.Stat(filepath.Join(root, tableFile)); err != nil {
		t.Skipf("not in a rules_go_cross checkout: %v", err)
	}
	if got := Names(root); !slices.Contains(got, "linux_arm64_musl") || !slices.Contains(got, "linux_amd64") {
		t.Errorf("Names = %q, want linux_amd64 and linux_arm64_musl among them", got)
	}
	if got := Names(t.TempDir()); got != nil {
		t.Errorf("Names of a directory without the table = %q", got)
	}
}
