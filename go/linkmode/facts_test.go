package linkmode

import (
	"slices"
	"testing"
)

func TestSummarize(t *testing.T) {
	f := Facts{Packages: []Package{
		{ImportPath: "example.com/app", Imports: []string{"net/http", "os/user", "example.com/b"}},
		{ImportPath: "example.com/b", CgoFiles: []string{"b.go"}, Imports: []string{"C", "net"}},
		{ImportPath: "example.com/a", CFiles: []string{"a.c"}},
		{ImportPath: "net/http", Standard: true, Imports: []string{"net"}},
		{ImportPath: "net", Standard: true, CgoFiles: []string{"cgo_unix_cgo.go"}},
		{ImportPath: "runtime/cgo", CgoFiles: []string{"cgo.go"}}, // Standard not set
		{ImportPath: "os/user", Standard: true},
	}}
	s := f.Summarize()
	if got, want := s.NeedCgoPaths(), []string{"example.com/a", "example.com/b"}; !slices.Equal(got, want) {
		t.Errorf("NeedCgoPaths = %q, want %q", got, want)
	}
	if got, want := s.StdUsers["net"], []string{"example.com/b", "net/http"}; !slices.Equal(got, want) {
		t.Errorf("net users = %q, want %q (non-standard first)", got, want)
	}
	if got, want := s.StdUsers["os/user"], []string{"example.com/app"}; !slices.Equal(got, want) {
		t.Errorf("os/user users = %q, want %q", got, want)
	}
	if s.Uses(PkgPlugin) || !s.Uses(PkgNet) || !s.Uses(PkgOSUser) {
		t.Errorf("Uses: plugin=%v net=%v os/user=%v, want false true true", s.Uses(PkgPlugin), s.Uses(PkgNet), s.Uses(PkgOSUser))
	}
}
