package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The provenance records the lock file and packages of the base the image report chose.
func TestProvenanceChoosesBase(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	digest := file("digest", "sha256:"+strings.Repeat("ab", 32)+"\n")
	version := file("version", "0.1.0\n")
	staticPkgs := file("static.json", `[{"name":"tzdata","version":"1","arch":"all"}]`)
	glibcPkgs := file("glibc.json", `[{"name":"libc6","version":"2.41","arch":"amd64","sha256":"cd"}]`)
	lock := file("lock.json", "{}\n")
	exe, _ := os.Executable()
	for _, tc := range []struct {
		name, base string
		locks      []string
		wantLock   string // name of the lock recorded, "" for none
		wantPkg    string
		wantErr    string
	}{
		{"glibc chosen", "glibc", []string{"static=//:a.lock.json=" + lock, "glibc=//:b.lock.json=" + lock}, "//:b.lock.json", "pkg:deb/debian/libc6@2.41?arch=amd64", ""},
		{"static chosen", "static", []string{"static=//:a.lock.json=" + lock, "glibc=//:b.lock.json=" + lock}, "//:a.lock.json", "pkg:deb/debian/tzdata@1?arch=all", ""},
		{"chosen base has no lock", "glibc", []string{"static=//:a.lock.json=" + lock, "glibc="}, "", "pkg:deb/debian/libc6@2.41?arch=amd64", ""},
		{"chosen base not given", "musl", []string{"static=//:a.lock.json=" + lock, "glibc=//:b.lock.json=" + lock}, "", "", `built on base "musl"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			report := file("report-"+tc.base+".json", `{"base":"`+tc.base+`"}`)
			out := filepath.Join(dir, "provenance.json")
			os.Remove(out)
			args := []string{"provenance", "-target", "//app:image", "-platform", "//platforms:linux_amd64",
				"-image-digest", digest, "-binary", "/app/app=" + exe, "-packages", "static=" + staticPkgs,
				"-packages", "glibc=" + glibcPkgs, "-verify-report", report, "-builder-version-file", version, "-out", out}
			for _, l := range tc.locks {
				args = append(args, "-lock", l)
			}
			_, err := tryImagetool(args...)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(out)
			var st struct {
				Predicate struct {
					BuildDefinition struct {
						ResolvedDependencies []struct {
							Name, URI string
							Digest    map[string]string
						}
					}
					RunDetails struct {
						Builder struct{ Version map[string]string }
					}
				}
			}
			if err := json.Unmarshal(b, &st); err != nil {
				t.Fatal(err)
			}
			var lockName, uris string
			for _, d := range st.Predicate.BuildDefinition.ResolvedDependencies {
				if strings.HasSuffix(d.Name, ".lock.json") {
					lockName = d.Name
				}
				uris += d.URI + " "
			}
			if lockName != tc.wantLock {
				t.Errorf("lock %q, want %q", lockName, tc.wantLock)
			}
			if !strings.Contains(uris, tc.wantPkg) || !strings.Contains(uris, "pkg:golang/stdlib@") {
				t.Errorf("dependencies %s lack %s or the Go toolchain", uris, tc.wantPkg)
			}
			if v := st.Predicate.RunDetails.Builder.Version["rules_go_cross"]; v != "0.1.0" {
				t.Errorf("builder version %q", v)
			}
		})
	}
}
