// Package baseimage builds distroless base images from Debian packages the way
// GoogleContainerTools/distroless does: the packages' data trees (without
// documentation except copyright files), generated /etc/passwd, /etc/group,
// /etc/hosts, /etc/nsswitch.conf, home directories, a CA bundle concatenated
// from the ca-certificates package's PEM files, and /var/lib/dpkg/status.d
// entries so scanners see what is installed. No maintainer script runs.
//
// A package can be shipped in part (Options.Keep): its status.d entry still
// says it is installed, since what is shipped is that version's code and
// scanners match vulnerabilities by package version, while
// status.d/<pkg>.md5sums lists exactly the package's regular files in the
// image (Trivy and Syft read it for file ownership in distroless images) and
// the package list records how many files were left out and why (the SBOM
// says so in the package's comment).
package baseimage

import (
	"archive/tar"
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/deb"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/layer"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/pkglist"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/spdxlicense"
	"github.com/rules-go-cross/rules_go_cross/platforms/platform"
)

// LibcLabel is the config label recording the C library of the base
// ("none", "glibc" or "musl"); `imagetool index` defaults its per-manifest
// io.rules_go_cross.libc annotation from it.
const LibcLabel = "io.rules_go_cross.libc"

// CABundle is where the generated CA bundle goes (SSL_CERT_FILE points here).
const CABundle = "/etc/ssl/certs/ca-certificates.crt"

// Env is the environment every base image sets.
var Env = []string{
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"SSL_CERT_FILE=" + CABundle,
}

// Deb is one input package with its optional expected sha256.
type Deb struct {
	Path   string
	SHA256 string
}

// Options configures Build.
type Options struct {
	Arch    string // GOARCH (= OCI architecture) of the platform table
	Kind    string // a linkmode.BaseKinds: static, or the C library the base provides
	Debs    []Deb
	Created time.Time
	// Level is the gzip level of the layer (layer.DefaultLevel if 0).
	Level int
	// Exclude holds path.Match patterns of image paths to leave out
	// (a matching directory drops everything below it).
	Exclude []string
	// Keep maps a package name to path.Match patterns of image paths: of
	// that package, only the files and symlinks matching a pattern (or
	// below a matching directory) are shipped, with the directories that
	// hold them and its copyright file. Every pattern must match a file of
	// the package, and every kept symlink must resolve in the image.
	Keep map[string][]string
}

// Result is a built base image.
type Result struct {
	Image    v1.Image
	Platform v1.Platform
	Packages []pkglist.Package
	// Tar is the uncompressed layer (for inspection and tests).
	Tar []byte
}

// Build assembles the base image.
func Build(opts Options) (*Result, error) {
	ai, ok := platform.ArchByGOARCH(opts.Arch)
	if !ok {
		return nil, fmt.Errorf("unsupported -arch %q; use one of %s", opts.Arch, strings.Join(platform.GOARCHes(), ", "))
	}
	kind, err := linkmode.ParseBaseKind(opts.Kind)
	if err != nil {
		return nil, fmt.Errorf("unsupported -kind: %v", err)
	}
	libc := string(kind.Libc())
	if opts.Level == 0 {
		opts.Level = layer.DefaultLevel
	}
	if opts.Created.IsZero() {
		opts.Created = time.Unix(0, 0)
	}
	for _, p := range opts.Exclude {
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("bad -exclude pattern %q: %w", p, err)
		}
	}
	for name, pats := range opts.Keep {
		if len(pats) == 0 {
			return nil, fmt.Errorf("-keep for package %s has no pattern; give %s=<pattern>", name, name)
		}
		for _, p := range pats {
			if _, err := path.Match(p, ""); err != nil {
				return nil, fmt.Errorf("bad -keep pattern %s=%q: %w", name, p, err)
			}
		}
	}
	pkgs, err := openDebs(opts, ai.Debian)
	if err != nil {
		return nil, err
	}
	if err := checkKind(kind, pkgs); err != nil {
		return nil, err
	}
	if err := checkKeep(opts.Keep, pkgs); err != nil {
		return nil, err
	}

	a := &assembler{b: layer.NewBuilder(), exclude: opts.Exclude, keep: opts.Keep, owner: map[string]string{},
		certs: map[string][]byte{}, copyright: map[string][]byte{}, shipped: map[string]*shipped{}}
	for _, p := range pkgs {
		if err := a.addPackage(p); err != nil {
			return nil, err
		}
	}
	if err := a.checkKeptLinks(); err != nil {
		return nil, err
	}
	if err := a.addGenerated(pkgs); err != nil {
		return nil, err
	}
	if l, _ := platform.LibcByName(libc); l.Cgo() {
		if err := a.requirePath(ai.Loaders[libc], "the "+l.Package+" package"); err != nil {
			return nil, err
		}
	}

	var tb bytes.Buffer
	if err := a.b.WriteTar(&tb, opts.Created); err != nil {
		return nil, err
	}
	l, err := layer.FromTar(tb.Bytes(), opts.Level, types.OCILayer)
	if err != nil {
		return nil, err
	}

	var names []string
	for _, p := range pkgs {
		names = append(names, p.Name()+"="+p.Version())
	}
	cfg := &v1.ConfigFile{
		Architecture: opts.Arch,
		Variant:      ai.OCIVariant,
		OS:           platform.OS,
		Created:      v1.Time{Time: opts.Created.UTC()},
		Config: v1.Config{
			Env:    append([]string(nil), Env...),
			Labels: map[string]string{LibcLabel: libc},
		},
		RootFS: v1.RootFS{Type: "layers"},
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err = mutate.ConfigFile(img, cfg)
	if err != nil {
		return nil, err
	}
	img, err = mutate.Append(img, mutate.Addendum{
		Layer:     l,
		MediaType: types.OCILayer,
		History: v1.History{
			Created:   v1.Time{Time: opts.Created.UTC()},
			CreatedBy: fmt.Sprintf("rules_go_cross imagetool base -kind %s -arch %s", opts.Kind, opts.Arch),
			Comment:   "debian packages: " + strings.Join(names, " "),
		},
	})
	if err != nil {
		return nil, err
	}

	return &Result{
		Image:    img,
		Platform: v1.Platform{OS: platform.OS, Architecture: opts.Arch, Variant: ai.OCIVariant},
		Packages: a.packageList(pkgs),
		Tar:      tb.Bytes(),
	}, nil
}

// openDebs opens the packages, which must be of Debian architecture
// debArch or all.
func openDebs(opts Options, debArch string) ([]*deb.Package, error) {
	if len(opts.Debs) == 0 {
		return nil, fmt.Errorf("no -deb given; a base needs at least base-files, netbase, tzdata, media-types and ca-certificates")
	}
	var pkgs []*deb.Package
	byName := map[string]*deb.Package{}
	for _, d := range opts.Debs {
		p, err := deb.Open(d.Path, d.SHA256)
		if err != nil {
			return nil, err
		}
		if a := p.Architecture(); a != debArch && a != "all" {
			return nil, fmt.Errorf("%s: package %s is for architecture %s, but -arch is %s (Debian architecture %s); pass the %s build of %s", d.Path, p.Name(), a, opts.Arch, debArch, debArch, p.Name())
		}
		if prev, ok := byName[p.Name()]; ok {
			return nil, fmt.Errorf("package %s is given twice (%s and %s); pass it once", p.Name(), prev.File, p.File)
		}
		byName[p.Name()] = p
		pkgs = append(pkgs, p)
	}
	// The order of -deb flags must not change the image.
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].Name() < pkgs[j].Name() })
	return pkgs, nil
}

// checkKind checks that the packages provide the C library of kind, and no
// other (the platform table's Libc.Package).
func checkKind(kind linkmode.BaseKind, pkgs []*deb.Package) error {
	have := map[string]bool{}
	for _, p := range pkgs {
		have[p.Name()] = true
	}
	if !have["ca-certificates"] {
		return fmt.Errorf("no ca-certificates package given; the base sets SSL_CERT_FILE=%s, so pass the ca-certificates .deb", CABundle)
	}
	for _, l := range platform.CgoLibcs() {
		k, pkg := linkmode.BaseKindOf(linkmode.Libc(l.Name)), l.Package
		switch {
		case k == kind && !have[pkg]:
			return fmt.Errorf("-kind %s needs the %s package; pass its .deb with -deb", kind, pkg)
		case k != kind && have[pkg]:
			return fmt.Errorf("package %s provides the %s C library, which a -kind %s base must not contain; use -kind %s or drop that -deb", pkg, l.Name, kind, k)
		}
	}
	return nil
}

func checkKeep(keep map[string][]string, pkgs []*deb.Package) error {
	have := map[string]bool{}
	for _, p := range pkgs {
		have[p.Name()] = true
	}
	for _, name := range sortedKeys(keep) {
		if !have[name] {
			return fmt.Errorf("-keep names package %s, which no -deb provides; pass its .deb or drop the -keep", name)
		}
	}
	return nil
}

type assembler struct {
	b         *layer.Builder
	exclude   []string
	keep      map[string][]string
	owner     map[string]string // image path -> package that shipped it
	certs     map[string][]byte // usr/share/ca-certificates/**.crt contents
	copyright map[string][]byte // package -> its copyright file
	shipped   map[string]*shipped
	osRelease []byte
}

// shipped is what one package put into the image, and what it left out.
type shipped struct {
	files   int               // its regular files, symlinks and hard links
	md5     map[string]string // image path (relative) of each regular file shipped -> md5
	links   []string          // symlinks shipped under a keep list
	omitted map[string]int    // reason -> files left out
}

// Reasons a packaged file is left out of the image.
const (
	omitExcluded      = "excluded by -exclude"
	omitDocumentation = "documentation"
	omitCABundle      = "folded into " + CABundle
	omitKeepList      = "not in the keep list"
)

// matches reports whether image path p (relative) or a directory above it
// matches one of the path.Match patterns (leading "/" optional).
func matches(patterns []string, p string) (string, bool) {
	for _, pat := range patterns {
		rel := strings.TrimPrefix(pat, "/")
		for q := p; q != "."; q = path.Dir(q) {
			if ok, _ := path.Match(rel, q); ok {
				return pat, true
			}
		}
	}
	return "", false
}

// omitReason says why a packaged path is left out of the image ("" when it
// is not), before any keep list applies.
func (a *assembler) omitReason(pkg, p string, typ byte) string {
	if _, ok := matches(a.exclude, p); ok {
		return omitExcluded
	}
	switch {
	case under(p, "usr/share/man"), under(p, "usr/share/info"), under(p, "usr/share/lintian"),
		under(p, "usr/share/doc-base"), under(p, "usr/share/bug"):
		return omitDocumentation
	case under(p, "usr/share/doc"):
		// Keep usr/share/doc/<pkg>/ and usr/share/doc/<pkg>/copyright only.
		rest := strings.Split(strings.TrimPrefix(p, "usr/share/doc"), "/")[1:]
		keep := len(rest) == 0 || (len(rest) == 1 && typ == tar.TypeDir) ||
			(len(rest) == 2 && rest[1] == "copyright" && typ == tar.TypeReg)
		if keep {
			return ""
		}
		return omitDocumentation
	}
	// ca-certificates' files only feed the generated bundle: its
	// update-ca-certificates machinery cannot run in a distroless image.
	if pkg == "ca-certificates" {
		return omitCABundle
	}
	return ""
}

func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

func (a *assembler) addPackage(p *deb.Package) error {
	name := p.Name()
	files := map[string]layer.Entry{} // this package's regular files, for hard links
	s := &shipped{md5: map[string]string{}, omitted: map[string]int{}}
	a.shipped[name] = s
	keep, partial := a.keep[name]
	matched := map[string]bool{}  // keep patterns that matched
	var dirs []layer.Entry        // with a keep list: directories, added if they hold something kept
	keptDirs := map[string]bool{} // with a keep list: directories above a kept entry
	err := p.WalkData(func(h *tar.Header, r io.Reader) error {
		if c := path.Clean(strings.TrimPrefix(h.Name, "./")); c == "." || c == "/" {
			return nil // the root directory entry
		}
		p, err := layer.CleanPath(h.Name)
		if err != nil {
			return fmt.Errorf("package %s: %w", name, err)
		}
		e := layer.Entry{Path: p, Mode: h.Mode & 0o7777, UID: h.Uid, GID: h.Gid, Origin: "package " + name}
		switch h.Typeflag {
		case tar.TypeDir:
			e.Type = tar.TypeDir
		case tar.TypeReg:
			e.Type = tar.TypeReg
			if e.Data, err = io.ReadAll(r); err != nil {
				return fmt.Errorf("package %s: reading %s: %w", name, p, err)
			}
			files[p] = e
		case tar.TypeSymlink:
			e.Type, e.Linkname = tar.TypeSymlink, h.Linkname
		case tar.TypeLink:
			target, err := layer.CleanPath(h.Linkname)
			if err != nil {
				return fmt.Errorf("package %s: hard link %s: %w", name, p, err)
			}
			t, ok := files[target]
			if !ok {
				return fmt.Errorf("package %s: hard link %s points to %s, which is not earlier in the package", name, p, target)
			}
			// A copy (same inode metadata) keeps the layer order-independent.
			e.Type, e.Data, e.Mode, e.UID, e.GID = tar.TypeReg, t.Data, t.Mode, t.UID, t.GID
		default:
			return fmt.Errorf("package %s: %s has unsupported tar entry type %q", name, p, h.Typeflag)
		}
		if e.Type == tar.TypeReg {
			switch {
			case under(p, "usr/share/ca-certificates") && strings.HasSuffix(p, ".crt"):
				a.certs[p] = e.Data
			case p == "usr/share/doc/"+name+"/copyright":
				a.copyright[name] = e.Data
			case p == "usr/lib/os-release" || p == "etc/os-release":
				a.osRelease = e.Data
			}
		}
		if e.Type != tar.TypeDir {
			s.files++
		}
		reason := a.omitReason(name, p, e.Type)
		if reason == "" && partial {
			switch pat, ok := matches(keep, p); {
			case e.Type == tar.TypeDir:
				dirs = append(dirs, e)
				return nil
			case ok:
				matched[pat] = true
			case p != "usr/share/doc/"+name+"/copyright":
				reason = omitKeepList
			}
			if reason == "" {
				for q := path.Dir(p); q != "."; q = path.Dir(q) {
					keptDirs[q] = true
				}
				if e.Type == tar.TypeSymlink {
					s.links = append(s.links, p)
				}
			}
		}
		if reason != "" {
			if e.Type != tar.TypeDir {
				s.omitted[reason]++
			}
			return nil
		}
		if e.Type == tar.TypeReg {
			sum := md5.Sum(e.Data)
			s.md5[p] = hex.EncodeToString(sum[:])
		}
		return a.add(name, e)
	})
	if err != nil {
		return err
	}
	for _, d := range dirs {
		if keptDirs[d.Path] {
			if err := a.add(name, d); err != nil {
				return err
			}
		}
	}
	for _, pat := range keep {
		if !matched[pat] {
			return fmt.Errorf("-keep %s=%s matches no file of package %s %s (%s); the package's layout changed: update the keep list", name, pat, name, p.Version(), p.File)
		}
	}
	return nil
}

// checkKeptLinks fails when a symlink shipped under a keep list points to a
// path the image lacks (its target was left out).
func (a *assembler) checkKeptLinks() error {
	for _, name := range sortedKeys(a.keep) {
		for _, l := range a.shipped[name].links {
			if !a.exists("/" + l) {
				e, _ := a.b.Get(l)
				return fmt.Errorf("/%s (package %s) is a symlink to %s, which the image lacks: add its target to the keep list of %s", l, name, e.Linkname, name)
			}
		}
	}
	return nil
}

func (a *assembler) add(pkg string, e layer.Entry) error {
	old, ok := a.b.Get(e.Path)
	if !ok {
		a.owner[e.Path] = pkg
		return a.b.Add(e)
	}
	if old.Type == tar.TypeDir && e.Type == tar.TypeDir {
		return nil // shared directory; the first package (by name) sets its mode
	}
	if old.Same(&e) {
		return nil
	}
	return fmt.Errorf("/%s is shipped by both %s and %s with different content; pass only one of them", e.Path, a.owner[e.Path], pkg)
}

func (a *assembler) requirePath(p, what string) error {
	if !a.exists(p) {
		return fmt.Errorf("%s is missing from the base; %s given does not provide it (wrong architecture or version?)", p, what)
	}
	return nil
}

// exists reports whether absolute path p resolves to an entry, following
// symlinks in every component as the kernel would (Debian 13's base-files
// ships /lib -> usr/lib, and packages put the loaders under /usr/lib).
func (a *assembler) exists(p string) bool {
	parts := strings.Split(strings.Trim(path.Clean(p), "/"), "/")
	cur := "/"
	for hops := 0; len(parts) > 0; {
		next := path.Join(cur, parts[0])
		parts = parts[1:]
		// Parent directories may be implicit (added when the layer is written).
		e, ok := a.b.Get(next)
		if !ok || e.Type != tar.TypeSymlink {
			cur = next
			continue
		}
		if hops++; hops > 40 {
			return false // a symlink loop
		}
		target := e.Linkname
		if !path.IsAbs(target) {
			target = path.Join(cur, target)
		}
		parts = append(strings.Split(strings.Trim(path.Clean(target), "/"), "/"), parts...)
		cur = "/"
	}
	_, ok := a.b.Get(cur)
	return ok
}

const passwd = `root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
`

const group = `root:x:0:
nobody:x:65534:
tty:x:5:
staff:x:50:
nonroot:x:65532:
`

// hosts maps localhost for runtimes that do not mount their own /etc/hosts
// over the image's (chroot, some sandboxes); without it "localhost" does not
// resolve there, since nsswitch.conf says "hosts: files dns".
const hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"

const nsswitch = `passwd:         files
group:          files
shadow:         files
hosts:          files dns
networks:       files
protocols:      files
services:       files
ethers:         files
rpc:            files
`

func (a *assembler) addGenerated(pkgs []*deb.Package) error {
	gen := []layer.Entry{
		{Path: "/etc/passwd", Type: tar.TypeReg, Mode: 0o644, Data: []byte(passwd)},
		{Path: "/etc/group", Type: tar.TypeReg, Mode: 0o644, Data: []byte(group)},
		{Path: "/etc/hosts", Type: tar.TypeReg, Mode: 0o644, Data: []byte(hosts)},
		{Path: "/etc/nsswitch.conf", Type: tar.TypeReg, Mode: 0o644, Data: []byte(nsswitch)},
		{Path: "/root", Type: tar.TypeDir, Mode: 0o700},
		{Path: "/home", Type: tar.TypeDir, Mode: 0o755},
		{Path: "/home/nonroot", Type: tar.TypeDir, Mode: 0o700, UID: 65532, GID: 65532},
		{Path: "/tmp", Type: tar.TypeDir, Mode: 0o1777},
		{Path: "/etc/ssl/certs", Type: tar.TypeDir, Mode: 0o755},
		{Path: "/var/lib/dpkg/status.d", Type: tar.TypeDir, Mode: 0o755},
	}
	if len(a.certs) == 0 {
		return fmt.Errorf("the ca-certificates package ships no usr/share/ca-certificates/**/*.crt files; is it a real ca-certificates .deb?")
	}
	gen = append(gen, layer.Entry{Path: CABundle, Type: tar.TypeReg, Mode: 0o644, Data: a.bundle()})
	for _, p := range pkgs {
		gen = append(gen, layer.Entry{
			Path: "/var/lib/dpkg/status.d/" + p.Name(), Type: tar.TypeReg, Mode: 0o644,
			Data: p.Control.StatusEntry(),
		}, layer.Entry{
			Path: "/var/lib/dpkg/status.d/" + p.Name() + ".md5sums", Type: tar.TypeReg, Mode: 0o644,
			Data: a.md5sums(p.Name()),
		})
	}
	for _, e := range gen {
		e.Origin = "generated"
		if err := a.b.Put(e); err != nil {
			return err
		}
	}
	return nil
}

// bundle concatenates the certificates in sorted path order, as
// update-ca-certificates does with the default configuration.
func (a *assembler) bundle() []byte {
	var names []string
	for n := range a.certs {
		names = append(names, n)
	}
	sort.Strings(names)
	var b bytes.Buffer
	for _, n := range names {
		c := a.certs[n]
		b.Write(c)
		if len(c) > 0 && c[len(c)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

// md5sums renders the package's regular files in the image as dpkg's
// md5sums file does ("<md5>  <path>", paths relative to /, sorted).
func (a *assembler) md5sums(pkg string) []byte {
	s := a.shipped[pkg]
	var b bytes.Buffer
	for _, p := range sortedKeys(s.md5) {
		fmt.Fprintf(&b, "%s  %s\n", s.md5[p], p)
	}
	return b.Bytes()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (a *assembler) packageList(pkgs []*deb.Package) []pkglist.Package {
	distro := distroOf(a.osRelease)
	var out []pkglist.Package
	for _, p := range pkgs {
		src, srcVer := p.Source()
		pl := pkglist.Package{
			Name: p.Name(), Version: p.Version(), Arch: p.Architecture(),
			License: spdxlicense.Expression(deb.CopyrightLicenses(a.copyright[p.Name()])),
			Source:  src, Distro: distro, SHA256: p.SHA256,
		}
		if srcVer != p.Version() {
			pl.SourceVersion = srcVer
		}
		s := a.shipped[p.Name()]
		pl.Files = s.files
		for _, r := range sortedKeys(s.omitted) {
			pl.Omitted = append(pl.Omitted, pkglist.Omission{Reason: r, Files: s.omitted[r]})
		}
		out = append(out, pl)
	}
	return out
}

// distroOf returns "<ID>-<VERSION_ID>" from an os-release file.
func distroOf(osRelease []byte) string {
	var id, ver string
	for _, l := range strings.Split(string(osRelease), "\n") {
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		switch k {
		case "ID":
			id = v
		case "VERSION_ID":
			ver = v
		}
	}
	if id == "" {
		return ""
	}
	if ver == "" {
		return id
	}
	return id + "-" + ver
}
