package packages

import (
	"reflect"
	"strings"
	"testing"
)

func TestStamp(t *testing.T) {
	s := Stamp()
	if !strings.HasPrefix(s, "bazel-bootstrap\ngolang-go\n") || !strings.HasSuffix(s, "\nfile\nbazel-bootstrap-source\nlibblake3-0\n") {
		t.Errorf("Stamp = %q: want one package a line, each ending in a newline", s)
	}
	if n := strings.Count(s, "\n"); n != len(Root) {
		t.Errorf("Stamp has %d lines, want %d", n, len(Root))
	}
}

func TestMissing(t *testing.T) {
	want := []string{"git", "zstd", "file"}
	for _, tc := range []struct {
		name, dpkg string
		missing    []string
	}{
		{"all installed", "ii  git\nii  zstd\nii  file\nii  libc6\n", nil},
		{"one absent", "ii  git\nii  file\n", []string{"zstd"}},
		{"removed, config files left", "ii  git\nrc  zstd\nii  file\n", []string{"zstd"}},
		{"half-installed", "ii  git\niF  zstd\nii  file\n", []string{"zstd"}},
		{"prefix is not a match", "ii  git-man\nii  zstd\nii  file\n", []string{"git"}},
		{"empty output", "", want},
	} {
		if got := Missing(tc.dpkg, want); !reflect.DeepEqual(got, tc.missing) {
			t.Errorf("%s: Missing = %q, want %q", tc.name, got, tc.missing)
		}
	}
}
