package golist

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
)

// writeModule writes a module whose cgo use depends on GOARCH and tags.
func writeModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":  "module example.com/m\n\ngo 1.26\n",
		"main.go": "package main\n\nimport (\n\t_ \"example.com/m/db\"\n\t_ \"example.com/m/hw\"\n\t_ \"net/http\"\n)\n\nfunc main() {}\n",
		// hw uses cgo on arm64 only.
		"hw/hw.go":       "package hw\n",
		"hw/hw_arm64.go": "package hw\n\n// int answer(void) { return 42; }\nimport \"C\"\n\nvar X = C.answer()\n",
		// db uses cgo with the sqlite tag only.
		"db/db.go":        "package db\n",
		"db/db_sqlite.go": "//go:build sqlite\n\npackage db\n\nimport \"C\"\n",
		"db/shim.c":       "//go:build sqlite\n\nint shim(void) { return 1; }\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// requireGo skips t unless the go command of the build's SDK is at hand (under bazel test the
// go in PATH is not; tools/test runs these tests with go test ./...).
func requireGo(t *testing.T) {
	t.Helper()
	if os.Getenv("TEST_SRCDIR") != "" {
		t.Skip("this test runs the go command; under bazel test it runs in go test ./... instead (tools/test)")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("this test runs the go command, which is not in PATH; run it with go test")
	}
}

func TestGather(t *testing.T) {
	requireGo(t)
	dir := writeModule(t)
	tests := []struct {
		goarch string
		tags   []string
		want   []string // packages that need cgo
	}{
		{"amd64", nil, nil},
		{"arm64", nil, []string{"example.com/m/hw"}},
		{"amd64", []string{"sqlite"}, []string{"example.com/m/db"}},
		{"arm64", []string{"sqlite"}, []string{"example.com/m/db", "example.com/m/hw"}},
	}
	env := append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	for _, tt := range tests {
		t.Run(tt.goarch+"_"+strings.Join(tt.tags, ","), func(t *testing.T) {
			f, err := Gather(context.Background(), Options{Dir: dir, Tags: tt.tags, Env: env}, "linux", tt.goarch)
			if err != nil {
				t.Fatal(err)
			}
			s := f.Summarize()
			if got := s.NeedCgoPaths(); !slices.Equal(got, tt.want) {
				t.Errorf("packages needing cgo = %q, want %q", got, tt.want)
			}
			if !s.Uses(linkmode.PkgNet) || s.Uses(linkmode.PkgPlugin) {
				t.Errorf("uses net=%v plugin=%v, want true false", s.Uses(linkmode.PkgNet), s.Uses(linkmode.PkgPlugin))
			}
			if !slices.Equal(f.Tags, tt.tags) {
				t.Errorf("facts tags %q, want %q", f.Tags, tt.tags)
			}
		})
	}
}

func TestGatherError(t *testing.T) {
	requireGo(t)
	dir := t.TempDir() // not a module
	_, err := Gather(context.Background(), Options{Dir: dir, Patterns: []string{"./..."}, Env: append(os.Environ(), "GOWORK=off")}, "linux", "amd64")
	if err == nil {
		t.Fatal("Gather outside a module succeeded")
	}
	for _, want := range []string{"go list -deps for linux/amd64 in " + dir + " failed", "pass facts with -facts FILE"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

func TestDecode(t *testing.T) {
	const out = `{"ImportPath":"example.com/a","CgoFiles":["a.go"],"CXXFiles":["a.cc"],"MFiles":["a.m"],"SwigCXXFiles":["a.swigcxx"],"Imports":["C","net"]}
{"ImportPath":"net","Standard":true,"CgoFiles":["cgo_unix_cgo.go"]}
`
	f, err := Decode(strings.NewReader(out), []string{"x"})
	if err != nil {
		t.Fatal(err)
	}
	want := linkmode.Package{ImportPath: "example.com/a", CgoFiles: []string{"a.go"}, CFiles: []string{"a.cc", "a.m"}, SwigFiles: []string{"a.swigcxx"}, Imports: []string{"C", "net"}}
	if len(f.Packages) != 2 || !slices.Equal(f.Packages[0].CFiles, want.CFiles) || !slices.Equal(f.Packages[0].SwigFiles, want.SwigFiles) || !f.Packages[1].Standard {
		t.Errorf("Decode = %+v, want first package %+v and standard net", f.Packages, want)
	}
	if _, err := Decode(strings.NewReader(`{"ImportPath":"bad","Error":{"Err":"no Go files"}}`), nil); err == nil || !strings.Contains(err.Error(), "bad: no Go files") {
		t.Errorf("Decode with package error = %v", err)
	}
	if _, err := Decode(strings.NewReader(`{"ImportPath":`), nil); err == nil {
		t.Error("Decode of truncated output succeeded")
	}
}
