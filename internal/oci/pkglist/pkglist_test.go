package pkglist

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	in := []Package{{Name: "tzdata", Version: "1"}, {Name: "base-files", Version: "2", License: "GPL-2.0-only",
		Files: 10, Omitted: []Omission{{Reason: "documentation", Files: 3}}}}
	b, err := Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "p.json")
	os.WriteFile(p, b, 0o644)
	got, err := ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []Package{in[1], in[0]} // sorted by name
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
	if n := got[0].InImage(); n != 7 {
		t.Errorf("base-files InImage() = %d, want 7 (10 files, 3 left out)", n)
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, content, want string }{
		{"not json", "{", "not a package list"},
		{"no version", `[{"name":"x"}]`, "no name or version"},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
		os.WriteFile(p, []byte(tc.content), 0o644)
		if _, err := ReadFile(p); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}
