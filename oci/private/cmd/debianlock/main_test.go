package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/debianlock"
	"github.com/ulikunitz/xz"
)

// archive serves one suite (trixie, amd64) whose index holds the given
// "name version arch" packages.
type archive struct {
	srv   *httptest.Server
	files map[string][]byte
}

func newArchive(t *testing.T) *archive {
	a := &archive{}
	a.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, ok := a.files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}))
	t.Cleanup(a.srv.Close)
	return a
}

func (a *archive) set(t *testing.T, pkgs ...string) {
	var index bytes.Buffer
	for _, p := range pkgs {
		f := strings.Fields(p)
		sum := sha256.Sum256([]byte(p))
		fmt.Fprintf(&index, "Package: %s\nVersion: %s\nArchitecture: %s\nFilename: pool/main/x/%s/%s_%s_%s.deb\nSize: 100\nSHA256: %x\n\n",
			f[0], f[1], f[2], f[0], f[0], f[1], f[2], sum)
	}
	var xzb bytes.Buffer
	w, err := xz.NewWriter(&xzb)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(index.Bytes())
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(xzb.Bytes())
	a.files = map[string][]byte{
		"/debian/dists/trixie/Release": []byte(fmt.Sprintf("Suite: stable\nCodename: trixie\nSHA256:\n %s %d main/binary-amd64/Packages.xz\n",
			hex.EncodeToString(sum[:]), xzb.Len())),
		"/debian/dists/trixie/main/binary-amd64/Packages.xz": xzb.Bytes(),
	}
}

func (a *archive) request() string {
	return `{"request": {
  "sources": [{"url": "` + a.srv.URL + `/debian", "suite": "trixie", "snapshot": "https://snapshot.example/archive/debian"}],
  "architectures": ["amd64"],
  "packages": ["tzdata", "libc6"]
}}
`
}

func runCmd(t *testing.T, a *archive, env map[string]string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	var client *http.Client
	if a != nil {
		client = a.srv.Client()
	}
	code = run(args, &out, &errb, func(k string) string { return env[k] }, client)
	return code, out.String(), errb.String()
}

func TestRefresh(t *testing.T) {
	a := newArchive(t)
	a.set(t, "libc6 2.41-12 amd64", "tzdata 2025b-4 all")
	ws := t.TempDir()
	lockPath := filepath.Join(ws, "oci", "bases", "test.lock.json")
	os.MkdirAll(filepath.Dir(lockPath), 0o755)
	if err := os.WriteFile(lockPath, []byte(a.request()), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"BUILD_WORKSPACE_DIRECTORY": ws}

	code, stdout, stderr := runCmd(t, a, env, "refresh", "-lock", "oci/bases/test.lock.json", "-now", "2026-11-26T04:37:00+01:00")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if want := "added libc6 amd64 2.41-12\nadded tzdata amd64 2025b-4\n0 unchanged\n"; stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	if !strings.Contains(stderr, "fetching "+a.srv.URL+"/debian/dists/trixie/Release") || !strings.Contains(stderr, "wrote "+lockPath) {
		t.Errorf("stderr:\n%s", stderr)
	}
	l, err := debianlock.ReadLock(lockPath)
	if err != nil {
		t.Fatal(err)
	}
	if l.SnapshotTime != "20261126T033700Z" || len(l.Packages) != 2 || l.Packages[1].Filename != "tzdata_2025b-4_all.deb" || l.Packages[1].Arch != "amd64" {
		t.Errorf("lock: %+v", l)
	}
	first, _ := os.ReadFile(lockPath)

	// Nothing changed upstream: same file, nothing written.
	code, stdout, stderr = runCmd(t, a, env, "refresh", "-lock", lockPath)
	if code != 0 || stdout != "2 unchanged\n" || strings.Contains(stderr, "wrote") {
		t.Errorf("second refresh: exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	if again, _ := os.ReadFile(lockPath); !bytes.Equal(again, first) {
		t.Error("second refresh changed the file")
	}

	// An upgrade.
	a.set(t, "libc6 2.41-12+deb13u1 amd64", "tzdata 2025b-4 all")
	code, stdout, stderr = runCmd(t, a, env, "refresh", "-lock", lockPath)
	if code != 0 || stdout != "upgraded libc6 amd64 2.41-12 → 2.41-12+deb13u1\n1 unchanged\n" {
		t.Errorf("third refresh: exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
}

// TestRefreshArchitectures: -architectures replaces the request's, and the
// written request keeps them.
func TestRefreshArchitectures(t *testing.T) {
	a := newArchive(t)
	a.set(t, "libc6 2.41-12 amd64", "tzdata 2025b-4 all")
	lockPath := filepath.Join(t.TempDir(), "test.lock.json")
	if err := os.WriteFile(lockPath, []byte(strings.Replace(a.request(), `["amd64"]`, `["arm64"]`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCmd(t, a, nil, "refresh", "-lock", lockPath, "-architectures", "amd64"); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	l, err := debianlock.ReadLock(lockPath)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Request.Architectures; len(got) != 1 || got[0] != "amd64" || len(l.Packages) != 2 || l.Packages[0].Arch != "amd64" {
		t.Errorf("request architectures %q, packages %+v; want amd64 only", got, l.Packages)
	}
	code, _, stderr := runCmd(t, a, nil, "refresh", "-lock", lockPath, "-architectures", "amd64,amd64")
	if code != 1 || !strings.Contains(stderr, "-architectures: ") || !strings.Contains(stderr, "listed twice") {
		t.Errorf("duplicate architecture: exit %d, stderr:\n%s", code, stderr)
	}
}

func TestRefreshErrors(t *testing.T) {
	a := newArchive(t)
	a.set(t, "libc6 2.41-12 amd64")
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantCode int
		want     []string
	}{
		{"no args", nil, nil, 2, []string{"usage: debianlock refresh"}},
		{"unknown subcommand", []string{"init"}, nil, 2, []string{`unknown subcommand "init"`}},
		{"no -lock", []string{"refresh"}, nil, 2, []string{"-lock FILE is required"}},
		{"bad -now", []string{"refresh", "-lock", "x", "-now", "yesterday"}, nil, 2, []string{`-now "yesterday" is not an RFC 3339 time`}},
		{"missing lock", []string{"refresh", "-lock", "nope.json"}, map[string]string{"BUILD_WORKSPACE_DIRECTORY": dir}, 1, []string{
			filepath.Join(dir, "nope.json") + ": lock file does not exist",
			`create it with a "request" object`,
			`"suite": "trixie-security"`,
		}},
		{"invalid request", []string{"refresh", "-lock", write("bad.json", `{"request": {"sources": []}}`)}, nil, 1, []string{`"sources" is empty`}},
		{"missing package", []string{"refresh", "-lock", write("missing.json", a.request())}, nil, 1, []string{"not found in any source: tzdata (amd64)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, a, tt.env, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d", code, tt.wantCode)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not mention %q:\n%s", w, stderr)
				}
			}
			if stdout != "" {
				t.Errorf("stdout: %q", stdout)
			}
		})
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "missing.json")); string(got) != a.request() {
		t.Error("a failed refresh modified the lock file")
	}
	if code, stdout, _ := runCmd(t, nil, nil, "help"); code != 0 || !strings.Contains(stdout, "usage") {
		t.Errorf("help: exit %d, %q", code, stdout)
	}
}
