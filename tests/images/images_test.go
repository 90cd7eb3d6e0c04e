// Package images_test checks the images rules_go_cross builds for the examples: every
// platform's image of the hello (pure Go) and cgo (musl, glibc) indexes is extracted and its
// entrypoint run in a chroot as uid 65532 (amd64 natively, arm64 under qemu-aarch64), where
// the example checks /etc/hosts, the CA pool, the time zone database and its user. It also
// checks the index entries (platform, variant, libc annotation), go-containerregistry's
// validation, the docker tarball, the SPDX SBOM and the size report.
package images_test

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/validate"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/layout"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/rootfs"
	"github.com/rules-go-cross/rules_go_cross/tests/internal/crossbin"
)

var (
	indexes   = flag.String("indexes", "", "comma-separated name=index_layout_dir pairs")
	tarball   = flag.String("tarball", "", "docker load tarball of the hello image")
	sbomFile  = flag.String("sbom", "", "SPDX SBOM of the hello image")
	sizeJSON  = flag.String("size_json", "", "size report (JSON) of the hello image")
	cgoSBOM   = flag.String("cgo_sbom", "", "SPDX SBOM of one cgo glibc image")
	qemuFlag  = flag.String("qemu", "/usr/bin/qemu-aarch64", "static qemu-aarch64, copied into arm64 roots")
	libcLabel = "io.rules_go_cross.libc"
)

// entry is what one manifest of an index must be.
type entry struct {
	arch, variant, libc string
	// loader is a file only the glibc base has; its absence shows "auto" chose a smaller base.
	loader string
	// output lines the entrypoint must print (besides every envcheck line).
	want []string
}

var wantIndexes = map[string][]entry{
	"hello": {
		{arch: "amd64", libc: "none"},
		{arch: "arm64", variant: "v8", libc: "none"},
	},
	"cgo": {
		{arch: "amd64", libc: "musl", want: []string{"libc=musl", "c++: greet: hello, gopher from C++ ok"}},
		{arch: "arm64", variant: "v8", libc: "musl", want: []string{"libc=musl", "c++: greet: hello, gopher from C++ ok"}},
		{arch: "amd64", libc: "glibc", loader: "/lib64/ld-linux-x86-64.so.2", want: []string{"libc=glibc", "cdeps: adder_add(40, 2): 42 ok"}},
		{arch: "arm64", variant: "v8", libc: "glibc", loader: "/lib/ld-linux-aarch64.so.1", want: []string{"libc=glibc", "cdeps: adder_add(40, 2): 42 ok"}},
	},
}

var envcheckLines = []string{
	"envcheck ok localhost resolves",
	"envcheck ok system CA pool",
	"envcheck ok time zone Europe/Berlin",
	"envcheck ok user is nonroot: nonroot(65532)",
}

// TestMain skips the package under plain `go test`: its inputs are the images Bazel builds.
func TestMain(m *testing.M) {
	flag.Parse()
	if *indexes == "" {
		fmt.Println("tests/images: skipped outside Bazel; run bazel test //tests/images")
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestIndexesRunInChroot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatalf("this test runs images in a chroot and needs root (tools/bazel runs Bazel as root); euid is %d", os.Geteuid())
	}
	dirs := crossbin.Parse(t, *indexes, []string{"hello", "cgo"})
	for name, dir := range dirs {
		t.Run(name, func(t *testing.T) {
			_, idx, err := layout.Read(dir)
			if err != nil {
				t.Fatal(err)
			}
			if idx == nil {
				t.Fatalf("%s holds an image, want an index", dir)
			}
			if err := validate.Index(idx); err != nil {
				t.Fatalf("validate.Index: %v", err)
			}
			im, err := idx.IndexManifest()
			if err != nil {
				t.Fatal(err)
			}
			want := wantIndexes[name]
			if len(im.Manifests) != len(want) {
				t.Fatalf("index has %d manifests, want %d", len(im.Manifests), len(want))
			}
			for i, desc := range im.Manifests {
				w := want[i]
				t.Run(fmt.Sprintf("%s_%s", w.arch, w.libc), func(t *testing.T) {
					checkDescriptor(t, desc, w)
					img, err := idx.Image(desc.Digest)
					if err != nil {
						t.Fatal(err)
					}
					runImage(t, name, img, w)
				})
			}
		})
	}
}

func checkDescriptor(t *testing.T, desc v1.Descriptor, w entry) {
	t.Helper()
	p := desc.Platform
	if p == nil || p.OS != "linux" || p.Architecture != w.arch || p.Variant != w.variant {
		t.Errorf("descriptor platform %+v, want linux/%s variant %q", p, w.arch, w.variant)
	}
	if got := desc.Annotations[libcLabel]; got != w.libc {
		t.Errorf("annotation %s = %q, want %q", libcLabel, got, w.libc)
	}
}

func runImage(t *testing.T, name string, img v1.Image, w entry) {
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Config.User != "65532" {
		t.Errorf("config user %q, want 65532", cfg.Config.User)
	}
	if got := cfg.Config.Labels[libcLabel]; got != w.libc {
		t.Errorf("config label %s = %q, want %q", libcLabel, got, w.libc)
	}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(t.TempDir(), "root")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := rootfs.Extract(layers, root, true); err != nil {
		t.Fatal(err)
	}
	// "auto" must choose the glibc base only for glibc binaries.
	for _, loader := range []string{"/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux-aarch64.so.1"} {
		_, err := os.Lstat(filepath.Join(root, loader))
		if has := err == nil; has != (loader == w.loader) {
			t.Errorf("image has %s: %v; want %v (the base \"auto\" chose is wrong)", loader, has, loader == w.loader)
		}
	}
	argv := append(append([]string{}, cfg.Config.Entrypoint...), "-envcheck")
	if w.arch == "arm64" {
		qemu, err := os.ReadFile(*qemuFlag)
		if err != nil {
			t.Fatalf("reading qemu-aarch64 (Debian's qemu-user, static): %v", err)
		}
		if err := os.WriteFile(filepath.Join(root, ".qemu-aarch64"), qemu, 0o755); err != nil {
			t.Fatal(err)
		}
		argv = append([]string{"/.qemu-aarch64"}, argv...)
	}
	env := append(append([]string{}, cfg.Config.Env...), "HOME=/home/nonroot")
	if w.libc != "none" {
		env = append(env, "GODEBUG=netdns=cgo") // resolve through the C library's NSS
	}
	// As a container runtime would: chroot into the image's root, then drop to uid/gid 65532.
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Chroot:     root,
		Credential: &syscall.Credential{Uid: 65532, Gid: 65532, Groups: []uint32{}},
	}
	out, err := cmd.CombinedOutput()
	t.Logf("chroot %s %s:\n%s", root, strings.Join(argv, " "), out)
	if err != nil {
		t.Fatalf("entrypoint failed in the image: %v", err)
	}
	for _, line := range append(append([]string{}, envcheckLines...), w.want...) {
		if !strings.Contains(string(out), line) {
			t.Errorf("output lacks %q", line)
		}
	}
}

// The docker tarball is what `docker load` reads: manifest.json naming a config and layers
// that exist in the tar, and the repo tag.
func TestDockerTarball(t *testing.T) {
	f, err := os.Open(crossbin.Runfile(*tarball))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	files := map[string][]byte{}
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		var b []byte
		if h.Name == "manifest.json" || strings.HasSuffix(h.Name, ".json") {
			if b, err = io.ReadAll(tr); err != nil {
				t.Fatal(err)
			}
		}
		files[h.Name] = b
	}
	var manifest []struct {
		Config   string
		RepoTags []string
		Layers   []string
	}
	if err := json.Unmarshal(files["manifest.json"], &manifest); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	if len(manifest) != 1 {
		t.Fatalf("manifest.json has %d entries, want 1", len(manifest))
	}
	m := manifest[0]
	if len(m.RepoTags) != 1 || m.RepoTags[0] != "bazel/examples/hello:image" {
		t.Errorf("RepoTags %q, want [bazel/examples/hello:image]", m.RepoTags)
	}
	if _, ok := files[m.Config]; !ok {
		t.Errorf("config %s is not in the tarball", m.Config)
	}
	if len(m.Layers) != 2 {
		t.Errorf("%d layers, want 2 (base, app)", len(m.Layers))
	}
	for _, l := range m.Layers {
		if _, ok := files[l]; !ok {
			t.Errorf("layer %s is not in the tarball", l)
		}
	}
}

// The SBOM has the fields SPDX 2.3 requires and lists Go modules and Debian packages.
func TestSBOM(t *testing.T) {
	for _, tc := range []struct {
		file     string
		wantPurl []string
		// comments a package's comment must contain (the glibc base ships libc6 in part).
		wantComment map[string]string
	}{
		{*sbomFile, []string{"pkg:golang/stdlib@", "pkg:deb/debian/base-files@", "pkg:deb/debian/tzdata@"}, nil},
		{*cgoSBOM, []string{"pkg:deb/debian/libc6@"}, map[string]string{"libc6": " not in the keep list"}},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			b, err := os.ReadFile(crossbin.Runfile(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				SPDXVersion       string `json:"spdxVersion"`
				DataLicense       string `json:"dataLicense"`
				SPDXID            string `json:"SPDXID"`
				Name              string `json:"name"`
				DocumentNamespace string `json:"documentNamespace"`
				CreationInfo      struct {
					Created  string   `json:"created"`
					Creators []string `json:"creators"`
				} `json:"creationInfo"`
				Packages []struct {
					SPDXID           string `json:"SPDXID"`
					Name             string `json:"name"`
					Comment          string `json:"comment"`
					DownloadLocation string `json:"downloadLocation"`
					ExternalRefs     []struct {
						Locator string `json:"referenceLocator"`
					} `json:"externalRefs"`
				} `json:"packages"`
			}
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			for field, v := range map[string]string{
				"spdxVersion": doc.SPDXVersion, "dataLicense": doc.DataLicense, "SPDXID": doc.SPDXID,
				"name": doc.Name, "documentNamespace": doc.DocumentNamespace, "creationInfo.created": doc.CreationInfo.Created,
			} {
				if v == "" {
					t.Errorf("required field %s is empty", field)
				}
			}
			if doc.SPDXVersion != "SPDX-2.3" || doc.DataLicense != "CC0-1.0" || doc.SPDXID != "SPDXRef-DOCUMENT" {
				t.Errorf("spdxVersion %q dataLicense %q SPDXID %q", doc.SPDXVersion, doc.DataLicense, doc.SPDXID)
			}
			if len(doc.CreationInfo.Creators) == 0 {
				t.Error("creationInfo.creators is empty")
			}
			var purls []string
			for _, p := range doc.Packages {
				if p.SPDXID == "" || p.Name == "" || p.DownloadLocation == "" {
					t.Errorf("package %+v lacks SPDXID, name or downloadLocation", p)
				}
				for _, r := range p.ExternalRefs {
					purls = append(purls, r.Locator)
				}
				if w, ok := tc.wantComment[p.Name]; ok && !strings.Contains(p.Comment, w) {
					t.Errorf("package %s comment %q, want it to say %q", p.Name, p.Comment, w)
				}
			}
			for _, w := range tc.wantPurl {
				found := false
				for _, p := range purls {
					found = found || strings.HasPrefix(p, w)
				}
				if !found {
					t.Errorf("no package with purl %s...", w)
				}
			}
		})
	}
}

// The size report splits base and app, and the static base adds under 1 MiB compressed.
func TestSizeReport(t *testing.T) {
	b, err := os.ReadFile(crossbin.Runfile(*sizeJSON))
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		BaseLayers int `json:"base_layers"`
		Base, App  struct {
			Compressed int64 `json:"compressed_bytes"`
		}
		Largest []struct {
			Path string `json:"path"`
		} `json:"largest_files"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.BaseLayers != 1 {
		t.Errorf("base_layers %d, want 1", r.BaseLayers)
	}
	if r.Base.Compressed <= 0 || r.Base.Compressed >= 1<<20 {
		t.Errorf("static base is %d bytes compressed, want under 1 MiB", r.Base.Compressed)
	}
	if r.App.Compressed <= 0 {
		t.Errorf("app layers are %d bytes", r.App.Compressed)
	}
	if len(r.Largest) == 0 || r.Largest[0].Path != "/app/hello" {
		t.Errorf("largest file %+v, want /app/hello first", r.Largest)
	}
}
