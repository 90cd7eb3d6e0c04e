package debianlock

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const (
	sumA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	sumB = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

// validLock is a small lock that passes Validate.
func validLock() *Lock {
	pkg := func(name, version, arch, file, sum string) Package {
		return Package{
			Name: name, Version: version, Arch: arch, Size: 1234, SHA256: sum, Filename: file,
			URLs: []string{
				"https://snapshot.debian.org/archive/debian/20261126T033700Z/pool/main/x/" + strings.ReplaceAll(file, "+", "%2B"),
				"https://deb.debian.org/debian/pool/main/x/" + file,
			},
		}
	}
	return &Lock{
		Comment: Comment,
		Request: Request{
			Sources: []Source{
				{URL: "https://deb.debian.org/debian", Suite: "trixie", Snapshot: "https://snapshot.debian.org/archive/debian"},
				{URL: "https://deb.debian.org/debian-security", Suite: "trixie-security"},
			},
			Architectures: []string{"amd64", "arm64"},
			Packages:      []string{"tzdata", "base-files"},
		},
		SnapshotTime: "20261126T033700Z",
		Packages: []Package{
			pkg("base-files", "13.8+deb13u2", "amd64", "base-files_13.8+deb13u2_amd64.deb", sumA),
			pkg("base-files", "13.8+deb13u2", "arm64", "base-files_13.8+deb13u2_arm64.deb", sumB),
			pkg("tzdata", "2025b-4+deb13u1", "amd64", "tzdata_2025b-4+deb13u1_all.deb", sumA),
			pkg("tzdata", "2025b-4+deb13u1", "arm64", "tzdata_2025b-4+deb13u1_all.deb", sumA),
		},
	}
}

func TestWriteAndReadLock(t *testing.T) {
	l := validLock()
	// Marshal sorts; give it an unsorted copy.
	shuffled := *l
	shuffled.Packages = []Package{l.Packages[3], l.Packages[0], l.Packages[2], l.Packages[1]}
	data, err := Marshal(&shuffled)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := Marshal(l); string(again) != string(data) {
		t.Error("Marshal is not deterministic")
	}
	s := string(data)
	if !strings.HasSuffix(s, "}\n") || !strings.HasPrefix(s, "{\n  \"comment\": ") {
		t.Errorf("want 2-space indented JSON with a trailing newline, got:\n%s", s)
	}
	if !strings.Contains(s, "`tools/bazel run //oci/bases:refresh`") || strings.Contains(s, `\u003c`) {
		t.Errorf("want no HTML escaping:\n%s", s)
	}
	if strings.Count(s, `"snapshot"`) != 1 {
		t.Errorf("want an empty snapshot omitted:\n%s", s)
	}
	for _, key := range []string{`"request"`, `"sources"`, `"architectures"`, `"snapshot_time"`, `"packages"`, `"name"`, `"version"`, `"arch"`, `"size"`, `"sha256"`, `"filename"`, `"urls"`} {
		if !strings.Contains(s, key+": ") {
			t.Errorf("output lacks key %s", key)
		}
	}

	p := filepath.Join(t.TempDir(), "lock.json")
	if err := WriteLock(p, &shuffled); err == nil {
		t.Error("WriteLock accepted an unsorted lock")
	}
	if err := WriteLock(p, l); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); string(got) != s {
		t.Errorf("WriteLock wrote\n%s\nwant\n%s", got, s)
	}
	got, err := ReadLock(p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, l) {
		t.Errorf("ReadLock = %+v\nwant %+v", got, l)
	}
}

func TestReadLockErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(l *Lock)
		want string
	}{
		{"no sources", func(l *Lock) { l.Request.Sources = nil }, `"sources" is empty`},
		{"http source", func(l *Lock) { l.Request.Sources[0].URL = "http://deb.debian.org/debian" }, `sources[0]: url: "http://deb.debian.org/debian" is not an https URL`},
		{"missing url", func(l *Lock) { l.Request.Sources[1].URL = "" }, `sources[1]: url: missing`},
		{"snapshot with query", func(l *Lock) { l.Request.Sources[0].Snapshot += "?x=1" }, `sources[0]: snapshot: "https://snapshot.debian.org/archive/debian?x=1" must not have a query`},
		{"bad suite", func(l *Lock) { l.Request.Sources[0].Suite = "../x" }, `sources[0]: suite "../x" is not a suite name`},
		{"duplicate source", func(l *Lock) { l.Request.Sources[1] = l.Request.Sources[0] }, `sources[1]: https://deb.debian.org/debian trixie is listed twice`},
		{"no architectures", func(l *Lock) { l.Request.Architectures = nil }, `"architectures" is empty`},
		{"arch all", func(l *Lock) { l.Request.Architectures[1] = "all" }, `architectures[1]: "all" is not a machine architecture`},
		{"bad arch", func(l *Lock) { l.Request.Architectures[1] = "ARM64" }, `architectures[1]: "ARM64" is not a Debian architecture name`},
		{"duplicate arch", func(l *Lock) { l.Request.Architectures[1] = "amd64" }, `architectures[1]: "amd64" is listed twice`},
		{"no packages", func(l *Lock) { l.Request.Packages = nil }, `"packages" is empty`},
		{"bad package name", func(l *Lock) { l.Request.Packages[0] = "Tzdata" }, `packages[0]: "Tzdata" is not a Debian package name`},
		{"duplicate package", func(l *Lock) { l.Request.Packages[1] = "tzdata" }, `packages[1]: "tzdata" is listed twice`},

		{"bad snapshot time", func(l *Lock) { l.SnapshotTime = "2026-11-26" }, `snapshot_time "2026-11-26" is not of the form`},
		{"no snapshot time", func(l *Lock) { l.SnapshotTime = "" }, `snapshot_time is missing`},
		{"missing version", func(l *Lock) { l.Packages[1].Version = "" }, `packages[1] (base-files arm64): version is missing`},
		{"bad version", func(l *Lock) { l.Packages[1].Version = "1.0-" }, `packages[1] (base-files arm64): invalid Debian version "1.0-"`},
		{"missing name", func(l *Lock) { l.Packages[0].Name = "" }, `packages[0] ( amd64): name "" is not a Debian package name`},
		{"arch all", func(l *Lock) { l.Packages[2].Arch = "all" }, `packages[2] (tzdata all): arch "all" is not a requested machine architecture`},
		{"short sha", func(l *Lock) { l.Packages[2].SHA256 = "abc" }, `packages[2] (tzdata amd64): sha256 "abc" is not 64 lowercase hex digits`},
		{"upper sha", func(l *Lock) { l.Packages[2].SHA256 = strings.ToUpper(sumA) }, `is not 64 lowercase hex digits`},
		{"zero size", func(l *Lock) { l.Packages[3].Size = 0 }, `packages[3] (tzdata arm64): size 0 is not positive`},
		{"filename with dir", func(l *Lock) { l.Packages[3].Filename = "../tzdata_all.deb" }, `filename "../tzdata_all.deb" is not a plain file name ending in .deb`},
		{"filename not deb", func(l *Lock) { l.Packages[3].Filename = "tzdata.tar" }, `filename "tzdata.tar" is not a plain file name`},
		{"dot filename", func(l *Lock) { l.Packages[3].Filename = ".deb" }, `filename ".deb" is not a plain file name`},
		{"no urls", func(l *Lock) { l.Packages[3].URLs = nil }, `packages[3] (tzdata arm64): urls is empty`},
		{"no https url", func(l *Lock) {
			l.Packages[3].URLs = []string{"http://deb.debian.org/debian/pool/main/x/tzdata_2025b-4+deb13u1_all.deb"}
		}, `packages[3] (tzdata arm64): no https URL`},
		{"relative url", func(l *Lock) { l.Packages[3].URLs[0] = "pool/x.deb" }, `url "pool/x.deb" is not an absolute http(s) URL`},
		{"url of another file", func(l *Lock) { l.Packages[3].URLs[1] = "https://deb.debian.org/debian/pool/x.deb" }, `does not end in the filename "tzdata_2025b-4+deb13u1_all.deb"`},
		{"unsorted", func(l *Lock) { l.Packages[0], l.Packages[1] = l.Packages[1], l.Packages[0] }, `packages[1] (base-files amd64): packages are not sorted`},
		{"duplicate", func(l *Lock) { l.Packages[1] = l.Packages[0] }, `packages[1] (base-files amd64): locked twice`},
		{"not requested", func(l *Lock) { l.Request.Packages = l.Request.Packages[:1] }, `packages[0] (base-files amd64): locked but not requested; run refresh`},
		{"not locked", func(l *Lock) { l.Request.Architectures = append(l.Request.Architectures, "riscv64") }, `package tzdata riscv64 is requested but not locked; run refresh`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := validLock()
			tt.edit(l)
			data, err := json.Marshal(l) // not Marshal, which would sort
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(t.TempDir(), "lock.json")
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = ReadLock(p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ReadLock error = %v\nwant it to mention %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), p+": ") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestReadRequest(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.json")
	if _, err := ReadRequest(missing); !errors.Is(err, ErrNoLock) || !strings.Contains(err.Error(), missing) {
		t.Errorf("ReadRequest(missing) = %v, want ErrNoLock naming the file", err)
	}
	if _, err := ReadLock(missing); !errors.Is(err, ErrNoLock) {
		t.Errorf("ReadLock(missing) = %v, want ErrNoLock", err)
	}

	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A request without a locked list is fine for refreshing, not for use.
	onlyRequest := write("request.json", `{"request": {
		"sources": [{"url": "https://deb.debian.org/debian", "suite": "trixie"}],
		"architectures": ["amd64"], "packages": ["libc6"]}}`)
	l, err := ReadRequest(onlyRequest)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Request{Sources: []Source{{URL: "https://deb.debian.org/debian", Suite: "trixie"}}, Architectures: []string{"amd64"}, Packages: []string{"libc6"}}); !reflect.DeepEqual(l.Request, want) {
		t.Errorf("request = %+v", l.Request)
	}
	if _, err := ReadLock(onlyRequest); err == nil || !strings.Contains(err.Error(), "package libc6 amd64 is requested but not locked") {
		t.Errorf("ReadLock(request only) = %v", err)
	}

	for _, tt := range []struct{ name, content, want string }{
		{"typo.json", `{"request": {"sources": [], "architecture": ["amd64"]}}`, `unknown field "architecture"`},
		{"trailing.json", `{"request": {}} {}`, "unexpected data after the JSON object"},
		{"notjson.json", `request: x`, "not a valid lock file"},
		{"empty.json", `{}`, `"sources" is empty`},
	} {
		_, err := ReadRequest(write(tt.name, tt.content))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadRequest(%s) = %v, want it to mention %q", tt.name, err, tt.want)
		}
	}
}
