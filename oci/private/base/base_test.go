package base_test

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rules-go-cross/rules_go_cross/oci/private/base"
	"github.com/rules-go-cross/rules_go_cross/oci/private/debtest"
	"github.com/rules-go-cross/rules_go_cross/oci/private/pkglist"
)

type entry struct {
	typ      byte
	mode     int64
	uid, gid int
	link     string
	body     string
}

func entries(t *testing.T, tarData []byte) map[string]entry {
	t.Helper()
	out := map[string]entry{}
	tr := tar.NewReader(bytes.NewReader(tarData))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		out["/"+strings.TrimSuffix(h.Name, "/")] = entry{h.Typeflag, h.Mode, h.Uid, h.Gid, h.Linkname, string(b)}
	}
}

func debs(paths []string) []base.Deb {
	var out []base.Deb
	for _, p := range paths {
		out = append(out, base.Deb{Path: p})
	}
	return out
}

func TestStaticBase(t *testing.T) {
	paths, err := debtest.FakeDistro(t.TempDir(), "amd64", "")
	if err != nil {
		t.Fatal(err)
	}
	res, err := base.Build(base.Options{Arch: "amd64", Kind: base.Static, Debs: debs(paths)})
	if err != nil {
		t.Fatal(err)
	}
	fs := entries(t, res.Tar)
	cert := func(s string) string { return fmt.Sprintf(debtest.FakeCert, s) }
	for _, tc := range []struct {
		path string
		want entry
	}{
		{"/etc/passwd", entry{tar.TypeReg, 0o644, 0, 0, "", "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"}},
		{"/etc/group", entry{tar.TypeReg, 0o644, 0, 0, "", "root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n"}},
		{"/etc/hosts", entry{tar.TypeReg, 0o644, 0, 0, "", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"}},
		{"/home/nonroot", entry{tar.TypeDir, 0o700, 65532, 65532, "", ""}},
		{"/root", entry{tar.TypeDir, 0o700, 0, 0, "", ""}},
		{"/tmp", entry{tar.TypeDir, 0o1777, 0, 0, "", ""}},
		{"/etc/ssl/certs/ca-certificates.crt", entry{tar.TypeReg, 0o644, 0, 0, "", cert("A") + cert("B")}},
		{"/etc/os-release", entry{tar.TypeSymlink, 0o777, 0, 0, "../usr/lib/os-release", ""}},
		{"/usr/share/zoneinfo/Europe/Berlin", entry{tar.TypeReg, 0o644, 0, 0, "", "TZif2-berlin"}},
		{"/usr/share/zoneinfo/Etc/UCT", entry{tar.TypeReg, 0o644, 0, 0, "", "TZif2-utc"}}, // hard link copied
		{"/usr/share/doc/base-files/copyright", entry{tar.TypeReg, 0o644, 0, 0, "", "This is the Debian prepackaged version of the Debian Base System\n"}},
	} {
		if got, ok := fs[tc.path]; !ok || got != tc.want {
			t.Errorf("%s = %+v (present %v), want %+v", tc.path, got, ok, tc.want)
		}
	}
	if ns := fs["/etc/nsswitch.conf"].body; !strings.Contains(ns, "hosts:          files dns\n") || !strings.Contains(ns, "passwd:         files\n") || !strings.Contains(ns, "group:          files\n") {
		t.Errorf("nsswitch.conf = %q", ns)
	}
	for _, absent := range []string{
		"/usr/sbin/update-ca-certificates", "/usr/share/ca-certificates/mozilla/A_Root.crt", "/etc/ca-certificates",
		"/usr/share/doc/base-files/README", "/usr/share/man", "/usr/share/doc/tzdata/changelog.gz",
	} {
		if _, ok := fs[absent]; ok {
			t.Errorf("%s should not be in the base", absent)
		}
	}
	for _, p := range []string{"base-files", "ca-certificates", "media-types", "netbase", "tzdata"} {
		st := fs["/var/lib/dpkg/status.d/"+p].body
		if !strings.HasPrefix(st, "Package: "+p+"\nStatus: install ok installed\n") || !strings.Contains(st, "\nVersion: ") {
			t.Errorf("status.d/%s = %q", p, st)
		}
	}

	cfg, err := res.Image.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.OS != "linux" || cfg.Architecture != "amd64" || cfg.Variant != "" || !cfg.Created.Time.Equal(time.Unix(0, 0)) {
		t.Errorf("config platform/created = %s/%s/%s %s", cfg.OS, cfg.Architecture, cfg.Variant, cfg.Created)
	}
	wantEnv := "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"
	if got := strings.Join(cfg.Config.Env, " "); got != wantEnv {
		t.Errorf("env = %q", got)
	}
	if cfg.Config.Labels[base.LibcLabel] != "none" {
		t.Errorf("labels = %v", cfg.Config.Labels)
	}
	if len(cfg.History) != 1 || len(cfg.RootFS.DiffIDs) != 1 || strings.Contains(cfg.History[0].CreatedBy+cfg.History[0].Comment, "/tmp") {
		t.Errorf("history = %+v", cfg.History)
	}

	lic := map[string]pkglist.Package{}
	for _, p := range res.Packages {
		lic[p.Name] = p
	}
	for name, want := range map[string]string{
		"netbase": "GPL-2.0-only", "ca-certificates": "GPL-2.0-or-later AND MPL-2.0",
		"tzdata": "LicenseRef-Debian-public-domain", "base-files": "", "media-types": "",
	} {
		if got := lic[name].License; got != want {
			t.Errorf("license of %s = %q, want %q", name, got, want)
		}
		if lic[name].Distro != "debian-12" || lic[name].SHA256 == "" || lic[name].Source != name {
			t.Errorf("package record %+v", lic[name])
		}
	}
}

func TestBaseDeterministic(t *testing.T) {
	paths, err := debtest.FakeDistro(t.TempDir(), "arm64", "musl")
	if err != nil {
		t.Fatal(err)
	}
	reversed := append([]string(nil), paths...)
	for i, j := 0, len(reversed)-1; i < j; i, j = i+1, j-1 {
		reversed[i], reversed[j] = reversed[j], reversed[i]
	}
	var digests []string
	for _, ps := range [][]string{paths, paths, reversed} {
		res, err := base.Build(base.Options{Arch: "arm64", Kind: base.Musl, Debs: debs(ps)})
		if err != nil {
			t.Fatal(err)
		}
		d, err := res.Image.Digest()
		if err != nil {
			t.Fatal(err)
		}
		digests = append(digests, d.String())
		if res.Platform.Variant != "v8" {
			t.Errorf("arm64 platform variant = %q, want v8", res.Platform.Variant)
		}
		if e := entries(t, res.Tar)["/lib/ld-musl-aarch64.so.1"]; e.link != "aarch64-linux-musl/libc.so" {
			t.Errorf("musl loader = %+v", e)
		}
	}
	if digests[0] != digests[1] || digests[0] != digests[2] {
		t.Errorf("digests differ between runs / -deb orders: %v", digests)
	}
}

func TestBaseErrors(t *testing.T) {
	dir := t.TempDir()
	amd, err := debtest.FakeDistro(filepath.Join(dir), "amd64", "glibc")
	if err != nil {
		t.Fatal(err)
	}
	armDir := filepath.Join(dir, "arm")
	os.Mkdir(armDir, 0o755)
	arm, err := debtest.FakeDistro(armDir, "arm64", "musl")
	if err != nil {
		t.Fatal(err)
	}
	noLibc := amd[:5]
	libc6 := amd[5]
	raw, _ := os.ReadFile(libc6)
	sum := sha256.Sum256(raw)
	zeros := strings.Repeat("0", 64)

	for _, tc := range []struct {
		name string
		opts base.Options
		want string
	}{
		{"glibc ok", base.Options{Arch: "amd64", Kind: base.Glibc, Debs: debs(amd)}, ""},
		{"checksum ok", base.Options{Arch: "amd64", Kind: base.Glibc, Debs: append(debs(noLibc), base.Deb{Path: libc6, SHA256: hex.EncodeToString(sum[:])})}, ""},
		{"checksum mismatch", base.Options{Arch: "amd64", Kind: base.Glibc, Debs: append(debs(noLibc), base.Deb{Path: libc6, SHA256: zeros})},
			"sha256 mismatch: expected " + zeros + ", actual " + hex.EncodeToString(sum[:])},
		{"static with libc6", base.Options{Arch: "amd64", Kind: base.Static, Debs: debs(amd)}, "must not contain"},
		{"glibc without libc6", base.Options{Arch: "amd64", Kind: base.Glibc, Debs: debs(noLibc)}, "needs the libc6 package"},
		{"musl without musl", base.Options{Arch: "arm64", Kind: base.Musl, Debs: debs(arm[:5])}, "needs the musl package"},
		{"wrong arch", base.Options{Arch: "amd64", Kind: base.Musl, Debs: debs(append(append([]string{}, noLibc...), arm[5]))}, "is for architecture arm64, but -arch is amd64"},
		{"bad arch", base.Options{Arch: "riscv64", Kind: base.Static, Debs: debs(noLibc)}, "unsupported -arch"},
		{"bad kind", base.Options{Arch: "amd64", Kind: "alpine", Debs: debs(noLibc)}, "unsupported -kind"},
		{"no ca-certificates", base.Options{Arch: "amd64", Kind: base.Static, Debs: debs(append([]string{}, noLibc[:4]...))}, "no ca-certificates package"},
		{"duplicate", base.Options{Arch: "amd64", Kind: base.Static, Debs: debs(append(append([]string{}, noLibc...), noLibc[0]))}, "given twice"},
		{"no debs", base.Options{Arch: "amd64", Kind: base.Static}, "no -deb given"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := base.Build(tc.opts)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestRealDebianPackages builds bases from real bookworm packages when
// RULES_GO_CROSS_DEB_DIR names a directory holding them, e.g. made with
// apt-get download base-files netbase tzdata media-types ca-certificates libc6 musl
func TestRealDebianPackages(t *testing.T) {
	dir := os.Getenv("RULES_GO_CROSS_DEB_DIR")
	if dir == "" {
		t.Skip("RULES_GO_CROSS_DEB_DIR not set")
	}
	find := func(name string) string {
		m, _ := filepath.Glob(filepath.Join(dir, name+"_*.deb"))
		if len(m) != 1 {
			t.Skipf("want exactly one %s_*.deb in %s, found %d", name, dir, len(m))
		}
		return m[0]
	}
	static := []string{find("base-files"), find("netbase"), find("tzdata"), find("media-types"), find("ca-certificates")}
	arch := "amd64"
	if strings.Contains(filepath.Base(static[0]), "arm64") {
		arch = "arm64"
	}
	res, err := base.Build(base.Options{Arch: arch, Kind: base.Static, Debs: debs(static)})
	if err != nil {
		t.Fatal(err)
	}
	fs := entries(t, res.Tar)
	bundle := fs["/etc/ssl/certs/ca-certificates.crt"].body
	if n := strings.Count(bundle, "-----BEGIN CERTIFICATE-----"); n < 100 {
		t.Errorf("CA bundle has %d certificates, want > 100", n)
	}
	if !strings.Contains(fs["/etc/passwd"].body, "nonroot:x:65532:65532") {
		t.Error("passwd lacks nonroot")
	}
	if b := fs["/usr/share/zoneinfo/Europe/Berlin"].body; !strings.HasPrefix(b, "TZif") {
		t.Errorf("Europe/Berlin is not a TZif file: %q", b[:min(len(b), 8)])
	}
	if !strings.Contains(fs["/usr/lib/os-release"].body, "ID=debian") {
		t.Error("os-release missing")
	}
	for _, p := range []string{"base-files", "netbase", "tzdata", "media-types", "ca-certificates"} {
		if !strings.Contains(fs["/var/lib/dpkg/status.d/"+p].body, "Status: install ok installed") {
			t.Errorf("status.d/%s missing", p)
		}
	}
	layers, _ := res.Image.Layers()
	csize, _ := layers[0].Size()
	t.Logf("static base (%s): %d files, %d bytes uncompressed, %d bytes compressed (%.0f KiB)", arch, len(fs), len(res.Tar), csize, float64(csize)/1024)
	if csize > 1<<20 {
		t.Errorf("static base is %d bytes compressed; the target is < 1 MiB", csize)
	}
	for _, p := range res.Packages {
		t.Logf("package %s %s %s license=%q source=%s distro=%s", p.Name, p.Version, p.Arch, p.License, p.Source, p.Distro)
	}

	for _, k := range []struct{ kind, pkg, loader string }{
		{base.Glibc, "libc6", map[string]string{"amd64": "/lib64/ld-linux-x86-64.so.2", "arm64": "/lib/ld-linux-aarch64.so.1"}[arch]},
		{base.Musl, "musl", map[string]string{"amd64": "/lib/ld-musl-x86_64.so.1", "arm64": "/lib/ld-musl-aarch64.so.1"}[arch]},
	} {
		res, err := base.Build(base.Options{Arch: arch, Kind: k.kind, Debs: debs(append(append([]string{}, static...), find(k.pkg)))})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := entries(t, res.Tar)[k.loader]; !ok {
			t.Errorf("%s base lacks %s", k.kind, k.loader)
		}
		layers, _ := res.Image.Layers()
		csize, _ := layers[0].Size()
		t.Logf("%s base (%s): %d bytes uncompressed, %d bytes compressed (%.0f KiB)", k.kind, arch, len(res.Tar), csize, float64(csize)/1024)
	}
}

func TestExclude(t *testing.T) {
	paths, err := debtest.FakeDistro(t.TempDir(), "amd64", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		exclude []string
		gone    []string
		kept    []string
		err     string
	}{
		{nil, nil, []string{"/usr/share/zoneinfo/Europe/Berlin", "/etc/mime.types"}, ""},
		{[]string{"/usr/share/zoneinfo/Europe"}, []string{"/usr/share/zoneinfo/Europe/Berlin", "/usr/share/zoneinfo/Europe"}, []string{"/usr/share/zoneinfo/UTC"}, ""},
		{[]string{"/etc/*.types"}, []string{"/etc/mime.types"}, []string{"/etc/services"}, ""},
		{[]string{"[bad"}, nil, nil, "bad -exclude pattern"},
	} {
		res, err := base.Build(base.Options{Arch: "amd64", Kind: base.Static, Debs: debs(paths), Exclude: tc.exclude})
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("exclude %q: err = %v, want %q", tc.exclude, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		fs := entries(t, res.Tar)
		for _, p := range tc.gone {
			if _, ok := fs[p]; ok {
				t.Errorf("exclude %q: %s still present", tc.exclude, p)
			}
		}
		for _, p := range tc.kept {
			if _, ok := fs[p]; !ok {
				t.Errorf("exclude %q: %s missing", tc.exclude, p)
			}
		}
	}
}

// Debian 13 packages ship their files under /usr only; base-files ships /lib -> usr/lib. The
// loader check must follow that symlink as the kernel does.
func TestMergedUsrLoader(t *testing.T) {
	dir := t.TempDir()
	amd, err := debtest.FakeDistro(dir, "amd64", "glibc")
	if err != nil {
		t.Fatal(err)
	}
	write := func(spec debtest.Spec) string {
		b, err := debtest.Build(spec)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, spec.Name+".deb")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	links := write(debtest.Spec{Name: "usr-links", Version: "1", Arch: "amd64", Files: []debtest.File{
		{Path: "./", Mode: 0o755},
		{Path: "./lib", Linkname: "usr/lib"},
	}})
	for _, tc := range []struct {
		name, loader, want string
	}{
		{"loader under /usr/lib, reached through /lib", "./usr/lib/ld-musl-x86_64.so.1", ""},
		{"loader missing", "./usr/lib/x86_64-linux-musl/libc.so", "/lib/ld-musl-x86_64.so.1 is missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			musl := write(debtest.Spec{Name: "musl", Version: "1.2.5-3", Arch: "amd64", Files: []debtest.File{
				{Path: "./", Mode: 0o755},
				{Path: "./usr/", Mode: 0o755},
				{Path: "./usr/lib/", Mode: 0o755},
				{Path: tc.loader, Body: "\x7fELF", Mode: 0o755},
			}})
			_, err := base.Build(base.Options{Arch: "amd64", Kind: base.Musl, Debs: debs(append(append([]string{}, amd[:5]...), links, musl))})
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
