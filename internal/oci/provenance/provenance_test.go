package provenance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/pkglist"
)

const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNew(t *testing.T) {
	lock := write(t, "lock.json", "{}\n") // sha256 of "{}\n"
	info := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Deps: []*debug.Module{
			{Path: "golang.org/x/sys", Version: "v0.47.0", Sum: "h1:Khu2En+0gcYPZ2kuIihfswbzxv/mIHXgzPZ018Oty48="},
			{Path: "example.com/old", Version: "v1.0.0", Replace: &debug.Module{Path: "example.com/new", Version: "v1.1.0"}},
		},
		Settings: []debug.BuildSetting{{Key: "CGO_ENABLED", Value: "0"}},
	}
	s, err := New(Options{
		Target: "@@//app:image", Platform: "@@//platforms:linux_arm64", ImageDigest: digest,
		BinaryPath: "/app/app", Info: info, Lock: lock, LockName: "@@//oci/bases:debian13.lock.json",
		Packages:       []pkglist.Package{{Name: "libc6", Version: "2.41-12", Arch: "arm64", SHA256: "ab"}, {Name: "tzdata", Version: "2026f-0+deb13u1", Arch: "all"}},
		BuilderVersion: "0.1.0",
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		`"_type": "https://in-toto.io/Statement/v1"`,
		`"predicateType": "https://slsa.dev/provenance/v1"`,
		`"sha256": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"`,
		`"target": "@@//app:image"`,
		`"platform": "@@//platforms:linux_arm64"`,
		`"rules_go_cross": "0.1.0"`,
		`"name": "@@//oci/bases:debian13.lock.json"`,
		`"sha256": "ca3d163bab055381827226140568f3bef7eaac187cebd76878e0b63e9e442356"`, // sha256("{}\n")
		`"uri": "pkg:golang/stdlib@1.26.8"`,
		`"uri": "pkg:golang/golang.org/x/sys@v0.47.0"`,
		`"dirHash": "2a1bb6127fb481c60f67692e22285fb306f3c6ffe62075e0ccf674d7c3adcb8f"`, // in-toto's example
		`"uri": "pkg:golang/example.com/new@v1.1.0"`,
		`"uri": "pkg:deb/debian/libc6@2.41-12?arch=arm64"`,
		`"uri": "pkg:deb/debian/tzdata@2026f-0+deb13u1?arch=all"`,
		`"go.CGO_ENABLED": "0"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("statement lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, `"source"`) {
		t.Errorf("the build's statement names a source; only signing adds it:\n%s", got)
	}
	again, _ := New(Options{Target: "@@//app:image", Platform: "@@//platforms:linux_arm64", ImageDigest: digest,
		BinaryPath: "/app/app", Info: info, Lock: lock, LockName: "@@//oci/bases:debian13.lock.json",
		Packages:       []pkglist.Package{{Name: "libc6", Version: "2.41-12", Arch: "arm64", SHA256: "ab"}, {Name: "tzdata", Version: "2026f-0+deb13u1", Arch: "all"}},
		BuilderVersion: "0.1.0"})
	if b2, _ := again.Marshal(); string(b2) != got {
		t.Error("the same inputs gave different statements")
	}
}

func TestNewErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Options
		want string
	}{
		{"no digest", Options{Target: "//a:b"}, "image digest"},
		{"bad digest", Options{Target: "//a:b", ImageDigest: "sha256:xyz"}, "not sha256:<64 hex digits>"},
		{"no target", Options{ImageDigest: digest}, "no target"},
		{"missing lock", Options{Target: "//a:b", ImageDigest: digest, Lock: "/nonexistent/lock.json"}, "base lock file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(tc.o); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestWithSource(t *testing.T) {
	s, err := New(Options{Target: "//app:image", ImageDigest: digest})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		src     Source
		wantKey string
		dirty   bool
		wantErr bool
	}{
		{"git commit", Source{URI: "git+https://example.com/repo", Revision: strings.Repeat("a", 40)}, "gitCommit", false, false},
		{"dirty tree", Source{URI: "git+https://example.com/repo", Revision: strings.Repeat("b", 40), Dirty: true}, "gitCommit", true, false},
		{"tag given by hand", Source{URI: "git+https://example.com/repo", Revision: "v1.2.3"}, "revision", false, false},
		{"no revision", Source{URI: "git+https://example.com/repo"}, "", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := WithSource(s, tc.src)
			if tc.wantErr {
				if err == nil {
					t.Fatal("WithSource accepted a source without revision")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var p Provenance
			if err := json.Unmarshal(b, &p); err != nil {
				t.Fatal(err)
			}
			src := p.BuildDefinition.ExternalParameters.Source
			if src == nil || src.Digest[tc.wantKey] != tc.src.Revision || src.URI != tc.src.URI+"@"+tc.src.Revision {
				t.Fatalf("source = %+v", src)
			}
			if (src.Annotations["dirty"] == true) != tc.dirty {
				t.Errorf("dirty annotation %v, want %v", src.Annotations, tc.dirty)
			}
			if first := p.BuildDefinition.ResolvedDependencies[0]; first.URI != src.URI {
				t.Errorf("first resolved dependency %+v, want the source", first)
			}
			if s.Predicate.BuildDefinition.ExternalParameters.Source != nil {
				t.Error("WithSource changed the statement it was given")
			}
		})
	}
}

func TestRead(t *testing.T) {
	s, _ := New(Options{Target: "//app:image", ImageDigest: digest})
	b, _ := s.Marshal()
	got, err := Read(write(t, "p.json", string(b)))
	if err != nil {
		t.Fatal(err)
	}
	if got.ImageDigest() != digest {
		t.Errorf("ImageDigest = %s", got.ImageDigest())
	}
	if _, err := Read(write(t, "x.json", `{"spdxVersion":"SPDX-2.3"}`)); err == nil || !strings.Contains(err.Error(), "not an in-toto statement") {
		t.Errorf("Read(SPDX) = %v", err)
	}
}
