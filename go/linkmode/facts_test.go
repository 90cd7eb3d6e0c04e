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

func TestFromSources(t *testing.T) {
	tests := []struct {
		name    string
		src     Sources
		cFiles  []string
		swig    []string
		needCgo bool
	}{
		{"pure", Sources{Imports: []string{"fmt"}}, nil, nil, false},
		{"cgo file", Sources{CgoFiles: []string{"a.go"}}, nil, nil, true},
		{"every native kind", Sources{CFiles: []string{"a.c"}, CXXFiles: []string{"b.cc"}, MFiles: []string{"c.m"}, FFiles: []string{"d.f90"}}, []string{"a.c", "b.cc", "c.m", "d.f90"}, nil, true},
		{"swig", Sources{SwigFiles: []string{"x.swig"}, SwigCXXFiles: []string{"y.swigcxx"}}, nil, []string{"x.swig", "y.swigcxx"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := FromSources("example.com/p", false, tt.src)
			if p.ImportPath != "example.com/p" || p.Standard {
				t.Errorf("ImportPath=%q Standard=%v, want example.com/p false", p.ImportPath, p.Standard)
			}
			if !slices.Equal(p.CFiles, tt.cFiles) || !slices.Equal(p.SwigFiles, tt.swig) || !slices.Equal(p.Imports, tt.src.Imports) {
				t.Errorf("CFiles=%q SwigFiles=%q Imports=%q, want %q %q %q", p.CFiles, p.SwigFiles, p.Imports, tt.cFiles, tt.swig, tt.src.Imports)
			}
			if got := len(Facts{Packages: []Package{p}}.Summarize().NeedCgo) > 0; got != tt.needCgo {
				t.Errorf("needs cgo = %v, want %v", got, tt.needCgo)
			}
		})
	}
}
