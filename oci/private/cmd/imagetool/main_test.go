package main

import (
	"bytes"
	"debug/buildinfo"
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/deb/debtest"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/layout"
)

// imagetool runs a subcommand in-process and fails the test on error.
func imagetool(t *testing.T, args ...string) string {
	t.Helper()
	out, err := tryImagetool(args...)
	if err != nil {
		t.Fatalf("imagetool %s: %v", strings.Join(args, " "), err)
	}
	return out
}

type cmdError struct{ stderr string }

func (e cmdError) Error() string { return strings.TrimSpace(e.stderr) }

func tryImagetool(args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	if code := run(args, &stdout, &stderr); code != 0 {
		return stdout.String(), cmdError{stderr.String()}
	}
	return stdout.String(), nil
}

func debArgs(paths []string) []string {
	var a []string
	for _, p := range paths {
		a = append(a, "-deb", p)
	}
	return a
}

// fixture builds bases for amd64/static and arm64/musl and an app layer.
type fixture struct {
	dir                     string
	staticBase, muslBase    string
	appTar, pkgsJSON, files string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	f := &fixture{dir: dir}
	for _, b := range []struct{ arch, kind, libc, out string }{
		{"amd64", "static", "", "base_static_amd64"},
		{"arm64", "musl", "musl", "base_musl_arm64"},
	} {
		debDir := filepath.Join(dir, "debs_"+b.arch)
		os.Mkdir(debDir, 0o755)
		debs, err := debtest.FakeDistro(debDir, b.arch, b.libc)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, b.out)
		args := append([]string{"base", "-arch", b.arch, "-kind", b.kind, "-out", out, "-created", "1700000000"}, debArgs(debs)...)
		if b.kind == "static" {
			f.pkgsJSON = filepath.Join(dir, "packages.json")
			args = append(args, "-sbom-packages", f.pkgsJSON)
			f.staticBase = out
		} else {
			f.muslBase = out
		}
		imagetool(t, args...)
	}
	src := filepath.Join(dir, "src")
	os.MkdirAll(filepath.Join(src, "static"), 0o755)
	os.WriteFile(filepath.Join(src, "server"), bytes.Repeat([]byte("\x7fELF server binary "), 5000), 0o755)
	os.WriteFile(filepath.Join(src, "static", "index.html"), []byte("<html></html>"), 0o644)
	f.appTar = filepath.Join(dir, "app.tar")
	imagetool(t, "layer", "-out", f.appTar, "-gzip", f.appTar+".gz",
		"-file", "/app/server="+filepath.Join(src, "server"),
		"-file", "/app/static="+filepath.Join(src, "static"),
		"-file", "/etc/app.conf="+filepath.Join(src, "static", "index.html")+":0600:65532:65532",
		"-dir", "/data:0700:65532:65532", "-symlink", "/usr/local/bin/server=/app/server")
	return f
}

func (f *fixture) buildImage(t *testing.T, base, out string, extra ...string) string {
	t.Helper()
	args := append([]string{"image", "-base", base, "-layer", f.appTar,
		"-entrypoint", "/app/server", "-entrypoint", "--serve", "-cmd", "--port=8080",
		"-env", "GODEBUG=madvdontneed=1", "-user", "65532:65532", "-workdir", "/app",
		"-label", "org.opencontainers.image.source=https://example.com/app",
		"-annotation", "org.opencontainers.image.title=app",
		"-created", "2024-01-02T03:04:05Z", "-out", out}, extra...)
	imagetool(t, args...)
	d, err := layout.Top(out)
	if err != nil {
		t.Fatal(err)
	}
	return d.Digest.String()
}

func TestImagePipeline(t *testing.T) {
	f := newFixture(t)
	dir := f.dir
	img1, img2 := filepath.Join(dir, "img1"), filepath.Join(dir, "img2")
	dockerTar := filepath.Join(dir, "img.tar")
	digestFile, filesOut := filepath.Join(dir, "digest.txt"), filepath.Join(dir, "files.txt")
	d1 := f.buildImage(t, f.staticBase, img1, "-docker-tar", dockerTar, "-repo-tag", "example.com/app:v1",
		"-repo-tag", "app:dev", "-digest", digestFile, "-files-out", filesOut)
	d2 := f.buildImage(t, f.staticBase, img2)
	if d1 != d2 {
		t.Fatalf("image digests differ between runs: %s vs %s", d1, d2)
	}
	i1, _ := os.ReadFile(filepath.Join(img1, "index.json"))
	i2, _ := os.ReadFile(filepath.Join(img2, "index.json"))
	if !bytes.Equal(i1, i2) {
		t.Error("index.json differs between runs")
	}
	if got, _ := os.ReadFile(digestFile); strings.TrimSpace(string(got)) != d1 {
		t.Errorf("-digest file = %q, want %s", got, d1)
	}
	if out := imagetool(t, "validate", "-layout", img1); !strings.Contains(out, "ok: image "+d1) {
		t.Errorf("validate output %q", out)
	}
	// Leftover temporary files would break reproducibility of the directory.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary output %s left behind", e.Name())
		}
	}

	// Config.
	img, err := layout.ReadImage(img1)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := img.ConfigFile()
	if !reflect.DeepEqual(cfg.Config.Entrypoint, []string{"/app/server", "--serve"}) || !reflect.DeepEqual(cfg.Config.Cmd, []string{"--port=8080"}) ||
		cfg.Config.User != "65532:65532" || cfg.Config.WorkingDir != "/app" || cfg.Created.Time.Unix() != 1704164645 {
		t.Errorf("config = %+v created %v", cfg.Config, cfg.Created)
	}
	wantEnv := []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt", "GODEBUG=madvdontneed=1"}
	if !reflect.DeepEqual(cfg.Config.Env, wantEnv) {
		t.Errorf("env = %q", cfg.Config.Env)
	}
	raw, _ := img.RawConfigFile()
	for _, leak := range []string{dir, os.Getenv("HOME"), "/tmp/", "PaxHeaders"} {
		if leak != "" && bytes.Contains(raw, []byte(leak)) {
			t.Errorf("config contains host detail %q:\n%s", leak, raw)
		}
	}
	if len(cfg.History) != 2 {
		t.Errorf("history = %+v", cfg.History)
	}
	m, _ := img.Manifest()
	if m.Annotations["io.rules_go_cross.base.layers"] != "1" || m.Annotations["org.opencontainers.image.title"] != "app" {
		t.Errorf("manifest annotations = %v", m.Annotations)
	}
	// The base layer is a hard link to the base layout's blob; the new
	// layer's blob is a 0644 file of its own.
	assertSameBlob(t, m.Layers[0].Digest.Hex, f.staticBase, img1)
	if fi, err := os.Stat(filepath.Join(layout.BlobDir(img1), m.Layers[1].Digest.Hex)); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("app layer blob %v %v, want mode 0644", fi, err)
	}

	// Docker tarball.
	tag, _ := name.NewTag("example.com/app:v1")
	timg, err := tarball.ImageFromPath(dockerTar, &tag)
	if err != nil {
		t.Fatal(err)
	}
	if td, _ := timg.ConfigName(); td != m.Config.Digest {
		t.Errorf("docker tarball config %s, want %s", td, m.Config.Digest)
	}
	tm, err := tarball.LoadManifest(func() (io.ReadCloser, error) { return os.Open(dockerTar) })
	if err != nil {
		t.Fatal(err)
	}
	if len(tm) != 1 || !reflect.DeepEqual(tm[0].RepoTags, []string{"example.com/app:v1", "app:dev"}) {
		t.Errorf("docker tarball manifest = %+v", tm)
	}
	tl, _ := timg.Layers()
	il, _ := img.Layers()
	for i := range il {
		a, _ := il[i].DiffID()
		b, _ := tl[i].DiffID()
		if a != b {
			t.Errorf("docker tarball layer %d diff_id %s, want %s", i, b, a)
		}
	}

	// Files list.
	files, _ := os.ReadFile(filesOut)
	for _, want := range []string{"/app/server\n", "/app/static/index.html\n", "/etc/passwd\n", "/usr/local/bin/server -> /app/server\n", "/etc/os-release -> ../usr/lib/os-release\n", "/data\n"} {
		if !bytes.Contains(files, []byte(want)) {
			t.Errorf("files list lacks %q", want)
		}
	}

	// SBOM.
	t.Run("sbom", func(t *testing.T) {
		exe, _ := os.Executable()
		if _, err := buildinfo.ReadFile(exe); err != nil {
			t.Skipf("the test binary has no Go build info (%v)", err)
		}
		sbomOut := filepath.Join(dir, "sbom.spdx.json")
		imagetool(t, "sbom", "-binary-buildinfo", "/app/server="+exe, "-packages", f.pkgsJSON, "-name", "example.com/app",
			"-image-digest", digestFile, "-created", "2024-01-02T03:04:05Z", "-out", sbomOut)
		var doc struct {
			SPDXVersion, DataLicense, SPDXID, Name, DocumentNamespace string
			CreationInfo                                              struct{ Created string }
			Packages                                                  []struct{ Name, SPDXID, DownloadLocation string }
		}
		sb, _ := os.ReadFile(sbomOut)
		if err := json.Unmarshal(sb, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.SPDXVersion != "SPDX-2.3" || doc.DataLicense != "CC0-1.0" || doc.SPDXID != "SPDXRef-DOCUMENT" ||
			doc.CreationInfo.Created != "2024-01-02T03:04:05Z" || doc.DocumentNamespace == "" || len(doc.Packages) < 7 {
			t.Errorf("sbom = %+v", doc)
		}
		if !bytes.Contains(sb, []byte("pkg:deb/debian/ca-certificates@20230311?arch=all")) || !bytes.Contains(sb, []byte(`"pkg:golang/stdlib@`)) {
			t.Errorf("sbom lacks deb or stdlib purls")
		}
	})

	// Size report.
	rep, repJSON := filepath.Join(dir, "size.txt"), filepath.Join(dir, "size.json")
	imagetool(t, "size-report", "-layout", img1, "-out", rep, "-json", repJSON)
	var sr struct {
		BaseLayers int `json:"base_layers"`
		Layers     []struct {
			Compressed, Uncompressed int64
			Base                     bool
		} `json:"layers"`
		Largest []struct{ Path string } `json:"largest_files"`
		Share   float64                 `json:"app_share_compressed_percent"`
	}
	rb, _ := os.ReadFile(repJSON)
	json.Unmarshal(rb, &sr)
	if sr.BaseLayers != 1 || len(sr.Layers) != 2 || len(sr.Largest) == 0 || sr.Largest[0].Path != "/app/server" || sr.Share <= 0 || sr.Share >= 100 {
		t.Errorf("size report = %s", rb)
	}
	if txt, _ := os.ReadFile(rep); !bytes.Contains(txt, []byte("app share")) || !bytes.Contains(txt, []byte("/app/server")) {
		t.Errorf("text report:\n%s", txt)
	}

	// Extract.
	rootfsDir := filepath.Join(dir, "rootfs")
	imagetool(t, "extract", "-layout", img1, "-out", rootfsDir)
	for p, mode := range map[string]os.FileMode{"app/server": 0o755, "etc/app.conf": 0o600, "tmp": os.ModeDir | os.ModeSticky | 0o777, "home/nonroot": os.ModeDir | 0o700} {
		fi, err := os.Stat(filepath.Join(rootfsDir, p))
		if err != nil || fi.Mode() != mode {
			t.Errorf("extracted %s: %v %v, want mode %v", p, fi, err, mode)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(rootfsDir, "etc/ssl/certs/ca-certificates.crt")); !bytes.Contains(b, []byte("BEGIN CERTIFICATE")) {
		t.Error("extracted CA bundle missing")
	}
}

// assertSameBlob checks that layout dir's blob hex is a hard link to src's.
func assertSameBlob(t *testing.T, hex, src, dir string) {
	t.Helper()
	a, err := os.Stat(filepath.Join(layout.BlobDir(src), hex))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.Stat(filepath.Join(layout.BlobDir(dir), hex))
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(a, b) {
		t.Errorf("blob %s of %s is a copy, want a hard link to %s's", hex, dir, src)
	}
}

func TestIndex(t *testing.T) {
	f := newFixture(t)
	amd := filepath.Join(f.dir, "img_amd64")
	arm := filepath.Join(f.dir, "img_arm64")
	f.buildImage(t, f.staticBase, amd)
	f.buildImage(t, f.muslBase, arm)
	var digests []string
	for i := 0; i < 2; i++ {
		out := filepath.Join(f.dir, "index"+string(rune('a'+i)))
		imagetool(t, "index", "-image", amd+"::org.opencontainers.image.title=amd", "-image", arm+"::libc=musl", "-annotation", "k=v", "-out", out)
		d, err := layout.Top(out)
		if err != nil {
			t.Fatal(err)
		}
		digests = append(digests, d.Digest.String())
		if i > 0 {
			continue
		}
		if !strings.Contains(imagetool(t, "validate", "-layout", out), "ok: index") {
			t.Error("index does not validate")
		}
		_, idx, err := layout.Read(out)
		if err != nil || idx == nil {
			t.Fatalf("reading index layout: %v", err)
		}
		im, _ := idx.IndexManifest()
		if len(im.Manifests) != 2 || im.Annotations["k"] != "v" {
			t.Fatalf("index manifest = %+v", im)
		}
		// Every blob of the images is a hard link to the first image
		// layout's that has it (both have the same app layer).
		for _, imgDir := range []string{amd, arm} {
			blobs, _ := os.ReadDir(layout.BlobDir(imgDir))
			for _, b := range blobs {
				src := amd
				if _, err := os.Stat(filepath.Join(layout.BlobDir(amd), b.Name())); err != nil {
					src = arm
				}
				assertSameBlob(t, b.Name(), src, out)
			}
		}
		for j, want := range []struct{ arch, variant, libc, title string }{
			{"amd64", "", "none", "amd"}, {"arm64", "v8", "musl", ""},
		} {
			got := im.Manifests[j]
			if got.Platform == nil || got.Platform.OS != "linux" || got.Platform.Architecture != want.arch || got.Platform.Variant != want.variant ||
				got.Annotations["io.rules_go_cross.libc"] != want.libc || got.Annotations["org.opencontainers.image.title"] != want.title {
				t.Errorf("manifest %d = %+v platform %+v", j, got, got.Platform)
			}
		}
	}
	if digests[0] != digests[1] {
		t.Errorf("index digests differ between runs: %v", digests)
	}
	// The same platform and libc twice is an error.
	_, err := tryImagetool("index", "-image", amd, "-image", amd, "-out", filepath.Join(f.dir, "dup"))
	if err == nil || !strings.Contains(err.Error(), "platform/libc pair once") {
		t.Errorf("duplicate platform: %v", err)
	}
	if _, err := os.Stat(filepath.Join(f.dir, "dup")); !os.IsNotExist(err) {
		t.Error("failed index left its output behind")
	}
}

func TestPush(t *testing.T) {
	f := newFixture(t)
	img := filepath.Join(f.dir, "img")
	d := f.buildImage(t, f.staticBase, img)
	arm := filepath.Join(f.dir, "img_arm")
	f.buildImage(t, f.muslBase, arm)
	idxDir := filepath.Join(f.dir, "idx")
	imagetool(t, "index", "-image", img, "-image", arm, "-out", idxDir)
	idxTop, _ := layout.Top(idxDir)

	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")

	for _, tc := range []struct {
		name, dir, to, digest string
	}{
		{"image by digest", img, host + "/app", d},
		{"image with tag", img, host + "/app:v1", d},
		{"index with tag", idxDir, host + "/app:multi", idxTop.Digest.String()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := imagetool(t, "push", "-layout", tc.dir, "-to", tc.to, "-insecure")
			want := host + "/app@" + tc.digest
			if strings.TrimSpace(out) != want {
				t.Fatalf("push printed %q, want %q", out, want)
			}
			if got := strings.TrimSpace(imagetool(t, "pull-digest", "-ref", want, "-insecure")); got != tc.digest {
				t.Errorf("pull-digest by digest = %s, want %s", got, tc.digest)
			}
			pulled := filepath.Join(f.dir, "pulled-"+strings.ReplaceAll(tc.name, " ", "-"))
			if got := strings.TrimSpace(imagetool(t, "pull", "-ref", want, "-insecure", "-out", pulled)); got != tc.digest {
				t.Errorf("pull printed %s, want %s", got, tc.digest)
			}
			if top, err := layout.Top(pulled); err != nil || top.Digest.String() != tc.digest {
				t.Errorf("pulled layout's top descriptor %v (%v), want %s", top.Digest, err, tc.digest)
			}
			imagetool(t, "validate", "-layout", pulled)
			if i := strings.LastIndex(tc.to, ":"); i > len(host) {
				if got := strings.TrimSpace(imagetool(t, "pull-digest", "-ref", tc.to, "-insecure")); got != tc.digest {
					t.Errorf("pull-digest by tag = %s, want %s", got, tc.digest)
				}
			}
		})
	}
	// Pull back by digest and compare manifests byte for byte.
	ref, _ := name.NewDigest(host+"/app@"+d, name.Insecure)
	remoteImg, err := remote.Image(ref)
	if err != nil {
		t.Fatal(err)
	}
	local, _ := layout.ReadImage(img)
	lm, _ := local.RawManifest()
	rm, _ := remoteImg.RawManifest()
	if !bytes.Equal(lm, rm) {
		t.Error("pulled manifest differs from the pushed one")
	}
	rl, _ := remoteImg.Layers()
	ll, _ := local.Layers()
	for i := range ll {
		a, _ := ll[i].Digest()
		b, _ := rl[i].Digest()
		if a != b {
			t.Errorf("layer %d: %s vs %s", i, a, b)
		}
	}
}

func TestCommandErrors(t *testing.T) {
	f := newFixture(t)
	dir := f.dir
	nonEmpty := filepath.Join(dir, "nonempty")
	os.MkdirAll(filepath.Join(nonEmpty, "x"), 0o755)
	notDeb := filepath.Join(dir, "not.deb")
	os.WriteFile(notDeb, []byte("!<arch>\n"), 0o644)
	notTar := filepath.Join(dir, "not.tar")
	os.WriteFile(notTar, bytes.Repeat([]byte("plain text, not a tar\n"), 50), 0o644)
	debs, _ := filepath.Glob(filepath.Join(dir, "debs_amd64", "*.deb"))
	zeros := strings.Repeat("0", 64)

	for _, tc := range []struct {
		name    string
		args    []string
		want    string
		outputs []string // must not exist afterwards
	}{
		{"unknown subcommand", []string{"frobnicate"}, "unknown subcommand", nil},
		{"missing flags", []string{"base", "-arch", "amd64"}, "missing required flag(s) -kind, -deb, -out", nil},
		{"stray argument", []string{"validate", "-layout", dir, "extra"}, "unexpected argument", nil},
		{"checksum mismatch", append([]string{"base", "-arch", "amd64", "-kind", "static", "-out", filepath.Join(dir, "b1"), "-deb", debs[0] + "=" + zeros}, debArgs(debs[1:])...),
			"sha256 mismatch: expected " + zeros, []string{filepath.Join(dir, "b1")}},
		{"not a deb", []string{"base", "-arch", "amd64", "-kind", "static", "-out", filepath.Join(dir, "b2"), "-deb", notDeb},
			notDeb + ": not a Debian package: missing debian-binary member", []string{filepath.Join(dir, "b2")}},
		{"keep without pattern", append([]string{"base", "-arch", "amd64", "-kind", "static", "-out", filepath.Join(dir, "b3"), "-keep", "libc6"}, debArgs(debs)...),
			`-keep "libc6": want pkg=pattern`, []string{filepath.Join(dir, "b3")}},
		{"keep pattern matching nothing", append([]string{"base", "-arch", "amd64", "-kind", "static", "-out", filepath.Join(dir, "b4"), "-keep", "tzdata=/usr/share/zoneinfo/Mars/*"}, debArgs(debs)...),
			"-keep tzdata=/usr/share/zoneinfo/Mars/* matches no file of package tzdata", []string{filepath.Join(dir, "b4")}},
		{"non-empty out", []string{"image", "-base", f.staticBase, "-layer", f.appTar, "-out", nonEmpty}, "is not empty", nil},
		{"layer not a tar", []string{"image", "-base", f.staticBase, "-layer", notTar, "-out", filepath.Join(dir, "i1"), "-docker-tar", filepath.Join(dir, "i1.tar"), "-digest", filepath.Join(dir, "i1.txt")},
			"not a tar archive", []string{filepath.Join(dir, "i1"), filepath.Join(dir, "i1.tar"), filepath.Join(dir, "i1.txt")}},
		{"base is not a layout", []string{"image", "-base", dir, "-out", filepath.Join(dir, "i2")}, "is not an OCI image layout", []string{filepath.Join(dir, "i2")}},
		{"bad env", []string{"image", "-base", f.staticBase, "-env", "NOEQUALS", "-out", filepath.Join(dir, "i3")}, "not KEY=VALUE", []string{filepath.Join(dir, "i3")}},
		{"repo-tag without docker-tar", []string{"image", "-base", f.staticBase, "-repo-tag", "a:b", "-out", filepath.Join(dir, "i4")}, "add -docker-tar", nil},
		{"bad created", []string{"image", "-base", f.staticBase, "-created", "yesterday", "-out", filepath.Join(dir, "i5")}, "RFC 3339", nil},
		{"layer missing file", []string{"layer", "-out", filepath.Join(dir, "l.tar"), "-file", "/x=" + filepath.Join(dir, "nope")}, "nope", []string{filepath.Join(dir, "l.tar")}},
		{"layer duplicate", []string{"layer", "-out", filepath.Join(dir, "l2.tar"), "-file", "/x=" + notTar, "-file", "/x=" + notDeb}, "given twice", []string{filepath.Join(dir, "l2.tar")}},
		{"index of index", []string{"index", "-image", dir, "-out", filepath.Join(dir, "x1")}, "not an OCI image layout", nil},
		{"sbom not a go binary", []string{"sbom", "-binary-buildinfo", notTar, "-name", "x", "-out", filepath.Join(dir, "s.json")}, "no Go build info", []string{filepath.Join(dir, "s.json")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tryImagetool(tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
			for _, o := range tc.outputs {
				if _, err := os.Stat(o); !os.IsNotExist(err) {
					t.Errorf("output %s exists after a failure", o)
				}
			}
		})
	}
}

func TestFlagParsing(t *testing.T) {
	dir := t.TempDir()
	colon := filepath.Join(dir, "file:0644")
	os.WriteFile(colon, nil, 0o644)
	for _, tc := range []struct {
		in   string
		want fileSpec
		err  bool
	}{
		{"/app/x=bin/x", fileSpec{"/app/x", "bin/x", -1, 0, 0}, false},
		{"/app/x=bin/x:0755", fileSpec{"/app/x", "bin/x", 0o755, 0, 0}, false},
		{"/app/x=bin/x:600:65532:65533", fileSpec{"/app/x", "bin/x", 0o600, 65532, 65533}, false},
		{"/app/x=" + colon, fileSpec{"/app/x", colon, -1, 0, 0}, false}, // an existing path wins
		{"/app/x=external/repo~x/file:bad", fileSpec{"/app/x", "external/repo~x/file:bad", -1, 0, 0}, false},
		{"app/x=bin/x", fileSpec{}, true},
		{"/app/x", fileSpec{}, true},
	} {
		got, err := parseFileSpec(tc.in)
		if (err != nil) != tc.err || (!tc.err && got != tc.want) {
			t.Errorf("parseFileSpec(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		want dirSpec
		err  bool
	}{
		{"/data", dirSpec{"/data", 0o755, 0, 0}, false},
		{"/data:0700", dirSpec{"/data", 0o700, 0, 0}, false},
		{"/data:0700:65532:65532", dirSpec{"/data", 0o700, 65532, 65532}, false},
		{"/data:0700:65532", dirSpec{}, true},
		{"/data:rwx", dirSpec{}, true},
		{"data", dirSpec{}, true},
	} {
		got, err := parseDirSpec(tc.in)
		if (err != nil) != tc.err || (!tc.err && got != tc.want) {
			t.Errorf("parseDirSpec(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	sum := strings.Repeat("ab", 32)
	for _, tc := range []struct{ in, path, sum string }{
		{"a.deb", "a.deb", ""},
		{"a.deb=" + sum, "a.deb", sum},
		{"a.deb=sha256:" + strings.ToUpper(sum), "a.deb", sum},
		{"dir=x/a.deb", "dir=x/a.deb", ""},
	} {
		if p, s := splitChecksum(tc.in); p != tc.path || s != tc.sum {
			t.Errorf("splitChecksum(%q) = %q, %q", tc.in, p, s)
		}
	}
	for _, tc := range []struct {
		in   string
		want int64
		err  bool
	}{
		{"0", 0, false}, {"1700000000", 1700000000, false}, {"2024-01-02T03:04:05Z", 1704164645, false},
		{"2024-01-02T05:04:05+02:00", 1704164645, false}, {"-5", 0, true}, {"soon", 0, true},
	} {
		got, err := parseTime(tc.in)
		if (err != nil) != tc.err || (!tc.err && got.Unix() != tc.want) || (!tc.err && got.Location() != time.UTC) {
			t.Errorf("parseTime(%q) = %v, %v", tc.in, got, err)
		}
	}
	for _, tc := range []struct {
		in   string
		dir  string
		ann  map[string]string
		fail bool
	}{
		{"out/img", "out/img", map[string]string{}, false},
		{"out/img::libc=musl", "out/img", map[string]string{"io.rules_go_cross.libc": "musl"}, false},
		{"out/img::libc=glibc;a=b=c", "out/img", map[string]string{"io.rules_go_cross.libc": "glibc", "a": "b=c"}, false},
		{"out/img::novalue", "", nil, true},
		{"::libc=musl", "", nil, true},
	} {
		d, a, err := parseImageSpec(tc.in)
		if (err != nil) != tc.fail || (!tc.fail && (d != tc.dir || !reflect.DeepEqual(a, tc.ann))) {
			t.Errorf("parseImageSpec(%q) = %q, %v, %v", tc.in, d, a, err)
		}
	}
}
