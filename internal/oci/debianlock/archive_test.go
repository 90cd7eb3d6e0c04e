package debianlock

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/ulikunitz/xz"
)

// fakePkg is one paragraph of a fake Packages index.
type fakePkg struct {
	name, version, arch string // arch may be "all"
}

// poolPath is the Filename a fake index lists for p.
func (p fakePkg) poolPath() string {
	v := p.version
	if _, after, ok := strings.Cut(v, ":"); ok {
		v = after
	}
	return fmt.Sprintf("pool/main/%s/%s/%s_%s_%s.deb", p.name[:1], p.name, p.name, v, p.arch)
}

// debSHA256 is the made-up checksum of p's .deb.
func (p fakePkg) debSHA256() string {
	s := sha256.Sum256([]byte(p.name + " " + p.version + " " + p.arch))
	return hex.EncodeToString(s[:])
}

func (p fakePkg) size() int64 { return int64(1000 + len(p.name)*10 + len(p.version)) }

// fakeSuite is one suite of a fake archive served under /<archive>/dists/<suite>/.
type fakeSuite struct {
	archive string               // path prefix, e.g. "debian"
	suite   string               // e.g. "trixie"
	indexes map[string][]fakePkg // arch → packages in main/binary-<arch>
	corrupt map[string]bool      // arch → serve a Packages.xz that does not match Release
}

// fakeArchive serves fake suites over TLS.
type fakeArchive struct {
	t   *testing.T
	srv *httptest.Server

	mu    sync.Mutex
	files map[string][]byte
	gets  []string
}

func newFakeArchive(t *testing.T, suites ...fakeSuite) *fakeArchive {
	t.Helper()
	a := &fakeArchive{t: t}
	a.srv = httptest.NewTLSServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.srv.Close)
	a.set(suites...)
	return a
}

// set replaces the served content.
func (a *fakeArchive) set(suites ...fakeSuite) {
	a.t.Helper()
	files := map[string][]byte{}
	for _, s := range suites {
		dir := "/" + s.archive + "/dists/" + s.suite + "/"
		var rel strings.Builder
		fmt.Fprintf(&rel, "Origin: Debian\nLabel: Debian\nSuite: %s\nCodename: %s\nDate: Sat, 21 Nov 2026 09:15:44 UTC\nArchitectures: all", s.suite+"-suite", s.suite)
		for arch := range s.indexes {
			rel.WriteString(" " + arch)
		}
		rel.WriteString("\nComponents: main\nDescription: fake\nMD5Sum:\n d41d8cd98f00b204e9800998ecf8427e 0 main/binary-amd64/Packages\nSHA256:\n")
		for arch, pkgs := range s.indexes {
			plain := packagesIndex(pkgs)
			compressed := xzBytes(a.t, plain)
			for _, f := range []struct {
				name string
				data []byte
			}{{"Packages", plain}, {"Packages.xz", compressed}} {
				sum := sha256.Sum256(f.data)
				fmt.Fprintf(&rel, " %s %8d main/binary-%s/%s\n", hex.EncodeToString(sum[:]), len(f.data), arch, f.name)
			}
			if s.corrupt[arch] {
				compressed = xzBytes(a.t, append(plain, "\nPackage: evil\n"...))
			}
			files[dir+"main/binary-"+arch+"/Packages.xz"] = compressed
		}
		files[dir+"Release"] = []byte(rel.String())
	}
	a.mu.Lock()
	a.files = files
	a.gets = nil
	a.mu.Unlock()
}

func (a *fakeArchive) serve(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	data, ok := a.files[r.URL.Path]
	a.gets = append(a.gets, r.URL.Path)
	a.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Write(data)
}

// url is the base URL of an archive, e.g. https://127.0.0.1:1234/debian.
func (a *fakeArchive) url(archive string) string { return a.srv.URL + "/" + archive }

// packagesIndex renders a Packages file with the fields Debian's have.
func packagesIndex(pkgs []fakePkg) []byte {
	var b bytes.Buffer
	for i, p := range pkgs {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "Package: %s\nVersion: %s\nInstalled-Size: 42\nMaintainer: Someone <someone@example.org>\nArchitecture: %s\n", p.name, p.version, p.arch)
		fmt.Fprintf(&b, "Depends: libc6 (>= 2.36)\nDescription: the %s package\n a longer description\n .\n with a paragraph\n", p.name)
		fmt.Fprintf(&b, "Section: libs\nPriority: optional\nFilename: %s\nSize: %d\nMD5sum: d41d8cd98f00b204e9800998ecf8427e\nSHA256: %s\n", p.poolPath(), p.size(), p.debSHA256())
	}
	return b.Bytes()
}

func xzBytes(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := xz.NewWriter(&b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
