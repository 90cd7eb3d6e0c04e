package baseimage_test

import (
	"archive/tar"
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/baseimage"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/deb/debtest"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/pkglist"
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

// checkError fails t unless err is what a case wants: no error for want "", else an error
// whose message contains want.
func checkError(t *testing.T, err error, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error = %v, want it to contain %q", err, want)
	}
}

func debs(paths []string) []baseimage.Deb {
	var out []baseimage.Deb
	for _, p := range paths {
		out = append(out, baseimage.Deb{Path: p})
	}
	return out
}

func TestStaticBase(t *testing.T) {
	paths, err := debtest.FakeDistro(t.TempDir(), "amd64", "")
	if err != nil {
		t.Fatal(err)
	}
	res, err := baseimage.Build(baseimage.Options{Arch: "amd64", Kind: "static", Debs: debs(paths)})
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
	// Every package's md5sums lists its regular files in the image (hard links as the copies
	// they become), without what was left out.
	sum := func(p string) [16]byte { return md5sum([]byte(fs[p].body)) }
	for _, tc := range []struct{ pkg, want string }{
		{"tzdata", fmt.Sprintf("%x  usr/share/doc/tzdata/copyright\n%x  usr/share/zoneinfo/Etc/UCT\n%x  usr/share/zoneinfo/Europe/Berlin\n%x  usr/share/zoneinfo/UTC\n",
			sum("/usr/share/doc/tzdata/copyright"), md5sum([]byte("TZif2-utc")), md5sum([]byte("TZif2-berlin")), md5sum([]byte("TZif2-utc")))},
		{"ca-certificates", fmt.Sprintf("%x  usr/share/doc/ca-certificates/copyright\n", sum("/usr/share/doc/ca-certificates/copyright"))},
	} {
		e, ok := fs["/var/lib/dpkg/status.d/"+tc.pkg+".md5sums"]
		if !ok || e.body != tc.want || e.mode != 0o644 {
			t.Errorf("status.d/%s.md5sums = %+v, want mode 0644 and\n%s", tc.pkg, e, tc.want)
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
	if cfg.Config.Labels[baseimage.LibcLabel] != "none" {
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
		res, err := baseimage.Build(baseimage.Options{Arch: "arm64", Kind: "musl", Debs: debs(ps)})
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
		opts baseimage.Options
		want string
	}{
		{"glibc ok", baseimage.Options{Arch: "amd64", Kind: "glibc", Debs: debs(amd)}, ""},
		{"checksum ok", baseimage.Options{Arch: "amd64", Kind: "glibc", Debs: append(debs(noLibc), baseimage.Deb{Path: libc6, SHA256: hex.EncodeToString(sum[:])})}, ""},
		{"checksum mismatch", baseimage.Options{Arch: "amd64", Kind: "glibc", Debs: append(debs(noLibc), baseimage.Deb{Path: libc6, SHA256: zeros})},
			"sha256 mismatch: expected " + zeros + ", actual " + hex.EncodeToString(sum[:])},
		{"static with libc6", baseimage.Options{Arch: "amd64", Kind: "static", Debs: debs(amd)}, "must not contain"},
		{"glibc without libc6", baseimage.Options{Arch: "amd64", Kind: "glibc", Debs: debs(noLibc)}, "needs the libc6 package"},
		{"musl without musl", baseimage.Options{Arch: "arm64", Kind: "musl", Debs: debs(arm[:5])}, "needs the musl package"},
		{"wrong arch", baseimage.Options{Arch: "amd64", Kind: "musl", Debs: debs(append(append([]string{}, noLibc...), arm[5]))}, "is for architecture arm64, but -arch is amd64"},
		{"bad arch", baseimage.Options{Arch: "riscv64", Kind: "static", Debs: debs(noLibc)}, "unsupported -arch"},
		{"bad kind", baseimage.Options{Arch: "amd64", Kind: "alpine", Debs: debs(noLibc)}, "unsupported -kind"},
		{"no ca-certificates", baseimage.Options{Arch: "amd64", Kind: "static", Debs: debs(append([]string{}, noLibc[:4]...))}, "no ca-certificates package"},
		{"duplicate", baseimage.Options{Arch: "amd64", Kind: "static", Debs: debs(append(append([]string{}, noLibc...), noLibc[0]))}, "given twice"},
		{"no debs", baseimage.Options{Arch: "amd64", Kind: "static"}, "no -deb given"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := baseimage.Build(tc.opts)
			checkError(t, err, tc.want)
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
	res, err := baseimage.Build(baseimage.Options{Arch: arch, Kind: "static", Debs: debs(static)})
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
		{"glibc", "libc6", map[string]string{"amd64": "/lib64/ld-linux-x86-64.so.2", "arm64": "/lib/ld-linux-aarch64.so.1"}[arch]},
		{"musl", "musl", map[string]string{"amd64": "/lib/ld-musl-x86_64.so.1", "arm64": "/lib/ld-musl-aarch64.so.1"}[arch]},
	} {
		res, err := baseimage.Build(baseimage.Options{Arch: arch, Kind: k.kind, Debs: debs(append(append([]string{}, static...), find(k.pkg)))})
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
		res, err := baseimage.Build(baseimage.Options{Arch: "amd64", Kind: "static", Debs: debs(paths), Exclude: tc.exclude})
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
			_, err := baseimage.Build(baseimage.Options{Arch: "amd64", Kind: "musl", Debs: debs(append(append([]string{}, amd[:5]...), links, musl))})
			checkError(t, err, tc.want)
		})
	}
}

// Keep ships part of a package: the status.d entry stays, the md5sums file lists exactly the
// files shipped, the package list counts what was left out, and mistakes in the keep list fail.
func TestKeep(t *testing.T) {
	dir := t.TempDir()
	static, err := debtest.FakeDistro(dir, "amd64", "")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := debtest.Build(debtest.Spec{Name: "libc6", Version: "2.41-12", Arch: "amd64", Source: "glibc", Files: []debtest.File{
		{Path: "./", Mode: 0o755},
		{Path: "./usr/lib64/ld-linux-x86-64.so.2", Linkname: "../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"},
		{Path: "./usr/lib/x86_64-linux-gnu/", Mode: 0o755},
		{Path: "./usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", Body: "\x7fELF-ld", Mode: 0o755},
		{Path: "./usr/lib/x86_64-linux-gnu/libc.so.6", Body: "\x7fELF-libc", Mode: 0o755},
		{Path: "./usr/lib/x86_64-linux-gnu/libmvec.so.1", Body: "\x7fELF-mvec", Mode: 0o644},
		{Path: "./usr/lib/x86_64-linux-gnu/gconv/", Mode: 0o755},
		{Path: "./usr/lib/x86_64-linux-gnu/gconv/UTF-7.so", Body: "\x7fELF-utf7", Mode: 0o644},
		{Path: "./usr/lib/x86_64-linux-gnu/gconv/gconv-modules.d/", Mode: 0o755},
		{Path: "./usr/lib/x86_64-linux-gnu/gconv/gconv-modules.d/gconv-modules-extra.conf", Body: "module", Mode: 0o644},
		{Path: "./usr/share/doc/libc6/NEWS.gz", Body: "news"},
		{Path: "./usr/share/doc/libc6/copyright", Body: "GNU C Library copyright\n"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	libc6 := filepath.Join(dir, "libc6.deb")
	if err := os.WriteFile(libc6, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	// As Debian 13's base-files: /lib64 -> usr/lib64.
	raw, err = debtest.Build(debtest.Spec{Name: "usr-links", Version: "1", Arch: "amd64", Files: []debtest.File{
		{Path: "./", Mode: 0o755}, {Path: "./lib64", Linkname: "usr/lib64"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	links := filepath.Join(dir, "usr-links.deb")
	if err := os.WriteFile(links, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	ds := debs(append(append([]string{}, static...), libc6, links))
	runtime := []string{"/usr/lib/*-linux-gnu/ld-linux-*.so.*", "/usr/lib*/ld-linux-*.so.*", "usr/lib/*-linux-gnu/libc.so.6"}
	md5 := func(s string) string { return fmt.Sprintf("%x", md5sum([]byte(s))) }

	t.Run("runtime files only", func(t *testing.T) {
		res, err := baseimage.Build(baseimage.Options{Arch: "amd64", Kind: "glibc", Debs: ds, Keep: map[string][]string{"libc6": runtime}})
		if err != nil {
			t.Fatal(err)
		}
		fs := entries(t, res.Tar)
		for _, p := range []string{"/usr/lib/x86_64-linux-gnu/libmvec.so.1", "/usr/lib/x86_64-linux-gnu/gconv", "/usr/share/doc/libc6/NEWS.gz"} {
			if _, ok := fs[p]; ok {
				t.Errorf("%s is in the image; the keep list leaves it out", p)
			}
		}
		for p, typ := range map[string]byte{
			"/usr/lib64/ld-linux-x86-64.so.2": tar.TypeSymlink, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2": tar.TypeReg,
			"/usr/lib/x86_64-linux-gnu/libc.so.6": tar.TypeReg, "/usr/lib/x86_64-linux-gnu": tar.TypeDir,
			"/usr/share/doc/libc6/copyright": tar.TypeReg,
		} {
			if e, ok := fs[p]; !ok || e.typ != typ {
				t.Errorf("%s: %+v, want type %c", p, e, typ)
			}
		}
		if got := fs["/var/lib/dpkg/status.d/libc6"].body; !strings.Contains(got, "Package: libc6\nStatus: install ok installed\n") {
			t.Errorf("status.d/libc6 = %q, want the package installed", got)
		}
		wantSums := md5("\x7fELF-ld") + "  usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n" +
			md5("\x7fELF-libc") + "  usr/lib/x86_64-linux-gnu/libc.so.6\n" +
			md5("GNU C Library copyright\n") + "  usr/share/doc/libc6/copyright\n"
		if got := fs["/var/lib/dpkg/status.d/libc6.md5sums"].body; got != wantSums {
			t.Errorf("status.d/libc6.md5sums =\n%s\nwant\n%s", got, wantSums)
		}
		var got pkglist.Package
		for _, p := range res.Packages {
			if p.Name == "libc6" {
				got = p
			}
		}
		want := []pkglist.Omission{{Reason: "documentation", Files: 1}, {Reason: "not in the keep list", Files: 3}}
		if got.Files != 8 || fmt.Sprint(got.Omitted) != fmt.Sprint(want) || got.InImage() != 4 {
			t.Errorf("libc6 in the package list: files %d, omitted %v, in image %d; want 8, %v, 4", got.Files, got.Omitted, got.InImage(), want)
		}
	})

	for _, tc := range []struct {
		name string
		keep map[string][]string
		want string
	}{
		{"pattern matching nothing", map[string][]string{"libc6": append([]string{"/usr/lib/*/libnss_dns.so.2"}, runtime...)},
			"-keep libc6=/usr/lib/*/libnss_dns.so.2 matches no file of package libc6 2.41-12"},
		{"symlink without its target", map[string][]string{"libc6": {"/usr/lib64/*", "/usr/lib/*/libc.so.6"}},
			"/usr/lib64/ld-linux-x86-64.so.2 (package libc6) is a symlink to ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2, which the image lacks"},
		{"package not given", map[string][]string{"musl": {"/lib/*"}}, "-keep names package musl, which no -deb provides"},
		{"bad pattern", map[string][]string{"libc6": {"[bad"}}, "bad -keep pattern libc6=\"[bad\""},
		{"no pattern", map[string][]string{"libc6": {}}, "-keep for package libc6 has no pattern"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := baseimage.Build(baseimage.Options{Arch: "amd64", Kind: "glibc", Debs: ds, Keep: tc.keep})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func md5sum(b []byte) [16]byte { return md5.Sum(b) }
