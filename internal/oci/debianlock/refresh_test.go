package debianlock

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

var (
	testNow  = time.Date(2026, 11, 26, 3, 37, 0, 0, time.UTC)
	testNow2 = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
)

// twoSuites is a main suite and a security suite: libc6 is newer in
// security, tzdata (Architecture: all) is newer in main, musl only exists
// for amd64 in main and for arm64 in security.
func twoSuites() []fakeSuite {
	return []fakeSuite{
		{
			archive: "debian", suite: "trixie",
			indexes: map[string][]fakePkg{
				"amd64": {
					{"base-files", "13.8+deb13u2", "amd64"},
					{"libc6", "2.41-12", "amd64"},
					{"libc6-dev", "2.41-12", "amd64"}, // not requested
					{"tzdata", "2025b-4+deb13u1", "all"},
					{"musl", "1.2.5-3", "amd64"},
					{"epochy", "1:0.9-1", "amd64"},
				},
				"arm64": {
					{"base-files", "13.8+deb13u2", "arm64"},
					{"libc6", "2.41-12", "arm64"},
					{"tzdata", "2025b-4+deb13u1", "all"},
					{"epochy", "1:0.9-1", "arm64"},
				},
			},
		},
		{
			archive: "debian-security", suite: "trixie-security",
			indexes: map[string][]fakePkg{
				"amd64": {
					{"libc6", "2.41-12+deb13u1", "amd64"},
					{"tzdata", "2025b-4", "all"},
					{"epochy", "2.0-1", "amd64"},
				},
				"arm64": {
					{"libc6", "2.41-12+deb13u1", "arm64"},
					{"tzdata", "2025b-4", "all"},
					{"musl", "1.2.5-3", "arm64"},
					{"epochy", "2.0-1", "arm64"},
				},
			},
		},
	}
}

func testRequest(a *fakeArchive, packages ...string) Request {
	return Request{
		Sources: []Source{
			{URL: a.url("debian"), Suite: "trixie", Snapshot: "https://snapshot.example/archive/debian"},
			{URL: a.url("debian-security") + "/", Suite: "trixie-security", Snapshot: "https://snapshot.example/archive/debian-security/"},
		},
		Architectures: []string{"amd64", "arm64"},
		Packages:      packages,
	}
}

func TestRefresh(t *testing.T) {
	a := newFakeArchive(t, twoSuites()...)
	req := testRequest(a, "tzdata", "libc6", "base-files", "musl", "epochy")
	l, err := Refresh(context.Background(), &Lock{Request: req}, Options{Client: a.srv.Client(), Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if l.SnapshotTime != "20261126T033700Z" || l.Comment != Comment || !reflect.DeepEqual(l.Request, req) {
		t.Errorf("snapshot_time %q, comment %q, request %+v", l.SnapshotTime, l.Comment, l.Request)
	}
	deb, sec := a.url("debian"), a.url("debian-security")
	want := []struct {
		name, version, arch, indexArch, mirror, snapshot string
	}{
		{"base-files", "13.8+deb13u2", "amd64", "amd64", deb, "https://snapshot.example/archive/debian"},
		{"base-files", "13.8+deb13u2", "arm64", "arm64", deb, "https://snapshot.example/archive/debian"},
		{"epochy", "1:0.9-1", "amd64", "amd64", deb, "https://snapshot.example/archive/debian"},
		{"epochy", "1:0.9-1", "arm64", "arm64", deb, "https://snapshot.example/archive/debian"},
		{"libc6", "2.41-12+deb13u1", "amd64", "amd64", sec, "https://snapshot.example/archive/debian-security"},
		{"libc6", "2.41-12+deb13u1", "arm64", "arm64", sec, "https://snapshot.example/archive/debian-security"},
		{"musl", "1.2.5-3", "amd64", "amd64", deb, "https://snapshot.example/archive/debian"},
		{"musl", "1.2.5-3", "arm64", "arm64", sec, "https://snapshot.example/archive/debian-security"},
		{"tzdata", "2025b-4+deb13u1", "amd64", "all", deb, "https://snapshot.example/archive/debian"},
		{"tzdata", "2025b-4+deb13u1", "arm64", "all", deb, "https://snapshot.example/archive/debian"},
	}
	if len(l.Packages) != len(want) {
		t.Fatalf("locked %d packages, want %d: %+v", len(l.Packages), len(want), l.Packages)
	}
	for i, w := range want {
		fp := fakePkg{w.name, w.version, w.indexArch}
		pool := fp.poolPath()
		wp := Package{
			Name: w.name, Version: w.version, Arch: w.arch, Size: fp.size(), SHA256: fp.debSHA256(),
			Filename: pool[strings.LastIndex(pool, "/")+1:],
			URLs: []string{
				w.snapshot + "/20261126T033700Z/" + strings.ReplaceAll(pool, "+", "%2B"),
				w.mirror + "/" + pool,
			},
		}
		if !reflect.DeepEqual(l.Packages[i], wp) {
			t.Errorf("packages[%d] =\n%+v\nwant\n%+v", i, l.Packages[i], wp)
		}
	}
	if got := l.Packages[0].URLs[0]; !strings.Contains(got, "base-files_13.8%2Bdeb13u2_amd64.deb") {
		t.Errorf("snapshot URL %s: want '+' escaped", got)
	}
	if got := l.Packages[0].URLs[1]; !strings.HasSuffix(got, "/pool/main/b/base-files/base-files_13.8+deb13u2_amd64.deb") {
		t.Errorf("mirror URL %s: want the Filename unchanged", got)
	}
	// Release is fetched once per source, each index once.
	if len(a.gets) != 6 {
		t.Errorf("%d requests, want 6: %q", len(a.gets), a.gets)
	}
}

func TestRefreshKeepsSnapshotTimeWhenNothingChanged(t *testing.T) {
	a := newFakeArchive(t, twoSuites()...)
	opts := Options{Client: a.srv.Client(), Now: testNow}
	first, err := Refresh(context.Background(), &Lock{Request: testRequest(a, "libc6", "tzdata")}, opts)
	if err != nil {
		t.Fatal(err)
	}
	opts.Now = testNow2
	second, err := Refresh(context.Background(), first, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, second) {
		t.Errorf("refresh without archive changes changed the lock:\n%+v\n%+v", first, second)
	}

	suites := twoSuites()
	suites[1].indexes["arm64"][0].version = "2.41-12+deb13u2"
	a.set(suites...)
	third, err := Refresh(context.Background(), second, opts)
	if err != nil {
		t.Fatal(err)
	}
	if third.SnapshotTime != "20261201T120000Z" {
		t.Errorf("snapshot_time %s after an upgrade, want the new refresh time", third.SnapshotTime)
	}
	for _, p := range third.Packages {
		if !strings.Contains(p.URLs[0], "/20261201T120000Z/") {
			t.Errorf("%s: snapshot URL %s does not use the new time", p.Key(), p.URLs[0])
		}
	}
	lines, unchanged := Changes(second.Packages, third.Packages)
	if want := []string{"upgraded libc6 arm64 2.41-12+deb13u1 → 2.41-12+deb13u2"}; !reflect.DeepEqual(lines, want) || unchanged != 3 {
		t.Errorf("Changes = %q, %d unchanged; want %q, 3", lines, unchanged, want)
	}
}

func TestRefreshErrors(t *testing.T) {
	bad := twoSuites()
	bad[1].corrupt = map[string]bool{"arm64": true}
	noArm := twoSuites()
	delete(noArm[1].indexes, "arm64")
	wrongArch := twoSuites()
	wrongArch[0].indexes["arm64"] = append(wrongArch[0].indexes["arm64"], fakePkg{"musl", "1.2.5-3", "amd64"})

	tests := []struct {
		name   string
		suites []fakeSuite
		edit   func(*Request)
		want   []string
	}{{
		name:   "missing package",
		suites: twoSuites(),
		edit:   func(r *Request) { r.Packages = append(r.Packages, "nosuch", "musl") },
		want: []string{
			"not found in any source: nosuch (amd64), nosuch (arm64)",
			"/debian/dists/trixie/main/binary-<arch>/Packages.xz",
			"/debian-security/dists/trixie-security/main/binary-<arch>/Packages.xz",
		},
	}, {
		name:   "missing for one arch only",
		suites: twoSuites(),
		edit: func(r *Request) {
			r.Sources = r.Sources[:1]
			r.Packages = append(r.Packages, "musl")
		},
		want: []string{"not found in any source: musl (arm64)\n"},
	}, {
		name:   "bad Packages.xz checksum",
		suites: bad,
		want: []string{
			"/debian-security/dists/trixie-security/main/binary-arm64/Packages.xz does not match",
			"expected size", "got size", "retry",
		},
	}, {
		name:   "architecture missing from Release",
		suites: noArm,
		want:   []string{"lists no main/binary-arm64/Packages.xz; does suite trixie-security have architecture arm64?"},
	}, {
		name:   "unknown suite",
		suites: twoSuites(),
		edit:   func(r *Request) { r.Sources[1].Suite = "bookworm-security" },
		want:   []string{"/debian-security/dists/bookworm-security/Release: HTTP 404"},
	}, {
		name:   "index lists a foreign architecture",
		suites: wrongArch,
		edit:   func(r *Request) { r.Packages = append(r.Packages, "musl") },
		want:   []string{`lists musl 1.2.5-3 with Architecture "amd64"; expected arm64 or all`},
	}, {
		name:   "invalid request",
		suites: twoSuites(),
		edit:   func(r *Request) { r.Architectures = nil },
		want:   []string{`"architectures" is empty`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newFakeArchive(t, tt.suites...)
			req := testRequest(a, "libc6", "tzdata")
			if tt.edit != nil {
				tt.edit(&req)
			}
			_, err := Refresh(context.Background(), &Lock{Request: req}, Options{Client: a.srv.Client(), Now: testNow})
			if err == nil {
				t.Fatalf("want an error mentioning %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not mention %q", err, w)
				}
			}
		})
	}
}

func TestRefreshSuiteMismatch(t *testing.T) {
	suites := twoSuites()
	a := newFakeArchive(t, suites...)
	// Serve trixie's Release under the name "bookworm".
	a.files["/debian/dists/bookworm/Release"] = a.files["/debian/dists/trixie/Release"]
	req := testRequest(a, "libc6")
	req.Sources[0].Suite = "bookworm"
	_, err := Refresh(context.Background(), &Lock{Request: req}, Options{Client: a.srv.Client()})
	if err == nil || !strings.Contains(err.Error(), `describes suite "trixie-suite" (codename "trixie"), not "bookworm"`) {
		t.Fatalf("error = %v", err)
	}
}
