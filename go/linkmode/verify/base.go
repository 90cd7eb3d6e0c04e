package verify

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/elfinfo"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/deb"
)

// Base is the file system of an image base, from a file list, an image's
// flattened layers (see Tree) or a root directory. Symbolic links are
// followed inside the base, as the kernel and the dynamic loader would in
// the container.
type Base struct {
	Name   string // shown in messages, e.g. "static"
	Source string // the file list or root directory
	// Glibc is the glibc version of the base if known (from -base-glibc,
	// the file list, or the root's libc.so.6); see GlibcVersion.
	Glibc       elfinfo.Version
	GlibcSource string

	fs   fsys
	root string // root directory, if any
	// readFile returns the content of the regular file at an absolute path
	// of the base; nil when the base has no contents (a file list).
	readFile func(p string) ([]byte, error)
}

type kind int

const (
	missing kind = iota
	file
	dir
	symlink
)

// fsys is a read-only view of absolute, slash-separated paths.
type fsys interface {
	lstat(p string) (k kind, linkTarget string)
}

// Tree is the file system of a base given path by path: from a file list
// (ParseFileList) or the flattened layers of an image. File names like
// libc-2.31.so reveal the base's glibc version.
type Tree struct {
	files, dirs map[string]bool
	links       map[string]string
	glibc       elfinfo.Version
	glibcSource string
}

// NewTree returns an empty tree holding only "/".
func NewTree() *Tree {
	return &Tree{files: map[string]bool{}, dirs: map[string]bool{}, links: map[string]string{}}
}

// AddFile adds the file at absolute path p (and its parent directories).
func (t *Tree) AddFile(p string) { t.files[t.add(p)] = true }

// AddDir adds the directory at absolute path p (and its parents).
func (t *Tree) AddDir(p string) { t.dirs[t.add(p)] = true }

// AddSymlink adds the symbolic link at absolute path p pointing to target.
func (t *Tree) AddSymlink(p, target string) { t.links[t.add(p)] = target }

// add cleans p, records its parents as directories and notes a glibc
// version its name reveals.
func (t *Tree) add(p string) string {
	p = path.Clean("/" + p)
	for d := path.Dir(p); d != "/"; d = path.Dir(d) {
		t.dirs[d] = true
	}
	if m := glibcFileRE.FindStringSubmatch(path.Base(p)); m != nil && t.glibcSource == "" {
		t.glibc, _ = elfinfo.ParseVersion(m[1])
		t.glibcSource = p + " in the file list"
	}
	return p
}

// Base returns the tree as a base named name. readFile, if not nil, reads
// the regular file at an absolute path of the tree; GlibcVersion uses it
// for the dpkg status of a base without a stated glibc version.
func (t *Tree) Base(name string, readFile func(p string) ([]byte, error)) *Base {
	return &Base{Name: name, Glibc: t.glibc, GlibcSource: t.glibcSource, fs: t, readFile: readFile}
}

// lstat reports a path that is both a listed file and a parent of other
// paths as a directory.
func (t *Tree) lstat(p string) (kind, string) {
	switch {
	case p == "/" || t.dirs[p]:
		return dir, ""
	case t.links[p] != "":
		return symlink, t.links[p]
	case t.files[p]:
		return file, ""
	}
	return missing, ""
}

// rootDir is a base unpacked in a directory.
type rootDir string

func (r rootDir) lstat(p string) (kind, string) {
	full := r.path(p)
	fi, err := os.Lstat(full)
	switch {
	case err != nil:
		return missing, ""
	case fi.Mode()&os.ModeSymlink != 0:
		t, err := os.Readlink(full)
		if err != nil {
			return missing, ""
		}
		return symlink, filepath.ToSlash(t)
	case fi.IsDir():
		return dir, ""
	}
	return file, ""
}

func (r rootDir) path(p string) string { return filepath.Join(string(r), filepath.FromSlash(p)) }

func (r rootDir) readFile(p string) ([]byte, error) { return os.ReadFile(r.path(p)) }

var (
	glibcFileRE    = regexp.MustCompile(`^(?:libc|ld)-(\d+\.\d+(?:\.\d+)?)\.so$`)
	glibcCommentRE = regexp.MustCompile(`^#\s*glibc:?\s+(\d+\.\d+(?:\.\d+)?)\s*$`)
)

// ParseFileList reads a base's file list: one absolute path per line
// ("./lib/x" and "lib/x" from tar listings are accepted too), symbolic
// links as "path -> target", directories optionally with a trailing "/".
// Empty lines and lines starting with "#" are ignored, except
// "# glibc 2.36", which states the glibc version of the base. File names
// like libc-2.31.so also reveal it.
func ParseFileList(name string, r io.Reader) (*Base, error) {
	t := NewTree()
	var stated elfinfo.Version
	var statedSource string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			if m := glibcCommentRE.FindStringSubmatch(line); m != nil {
				stated, _ = elfinfo.ParseVersion(m[1])
				statedSource = fmt.Sprintf("line %d of the file list", n)
			}
			continue
		}
		p, target, isLink := strings.Cut(line, " ->")
		p = strings.TrimSpace(p)
		isDir := strings.HasSuffix(p, "/") && p != "/"
		p = strings.TrimPrefix(p, "./")
		switch {
		case isLink:
			target = strings.TrimSpace(target)
			if target == "" {
				return nil, fmt.Errorf("file list %s line %d: symlink %s has no target; want \"path -> target\"", name, n, path.Clean("/"+p))
			}
			t.AddSymlink(p, target)
		case isDir:
			t.AddDir(p)
		default:
			t.AddFile(p)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading file list %s: %v", name, err)
	}
	b := t.Base(name, nil)
	if statedSource != "" {
		b.Glibc, b.GlibcSource = stated, statedSource
	}
	return b, nil
}

// ReadFileList reads the file list at file; the base is named after the
// file without its extension unless name is set.
func ReadFileList(file, name string) (*Base, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	b, err := ParseFileList(name, f)
	if err != nil {
		return nil, err
	}
	b.Source = file
	return b, nil
}

// OpenRoot uses the unpacked base in dir; it is named after the
// directory unless name is set.
func OpenRoot(dir, name string) (*Base, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a directory; -base-root wants an unpacked image base", dir)
	}
	if name == "" {
		name = filepath.Base(filepath.Clean(dir))
	}
	return &Base{Name: name, Source: dir, fs: rootDir(dir), root: dir, readFile: rootDir(dir).readFile}, nil
}

// Resolve follows symbolic links inside the base and returns the path of
// the regular file p ends at, or false.
func (b *Base) Resolve(p string) (string, bool) {
	pending := split(p)
	cur := "/"
	last := dir
	for hops := 0; len(pending) > 0; {
		name := pending[0]
		pending = pending[1:]
		if last == file {
			return "", false // a file used as a directory
		}
		next := path.Join(cur, name)
		k, target := b.fs.lstat(next)
		switch k {
		case missing:
			return "", false
		case symlink:
			if hops++; hops > 40 {
				return "", false
			}
			if path.IsAbs(target) {
				cur = "/"
			}
			pending = append(split(target), pending...)
			last = dir
		default:
			cur, last = next, k
		}
	}
	if last != file {
		return "", false
	}
	return cur, true
}

func split(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" && s != "." {
			out = append(out, s)
		}
	}
	return out
}

// GlibcVersion returns the glibc version of the base for arch: the stated
// one, else (for a root directory) the newest GLIBC_x.y defined by its
// libc.so.6 or, failing that, the libc6 version in the dpkg status.
func (b *Base) GlibcVersion(arch linkmode.Arch) (elfinfo.Version, string) {
	if b.Glibc != nil {
		return b.Glibc, b.GlibcSource
	}
	if b.root != "" {
		if p, ok := b.findLib("libc.so.6", glibcDirs(arch)); ok {
			if v, err := elfinfo.GlibcProvided(filepath.Join(b.root, filepath.FromSlash(p))); err == nil {
				return v, "version definitions of " + p
			}
		}
	}
	if b.readFile == nil {
		return nil, ""
	}
	// /var/lib/dpkg/status.d/libc6 is where `imagetool base` records the package.
	for _, status := range []string{"/var/lib/dpkg/status.d/libc6", "/var/lib/dpkg/status"} {
		p, ok := b.Resolve(status)
		if !ok {
			continue
		}
		data, err := b.readFile(p)
		if err != nil {
			continue
		}
		if v := dpkgLibc6(data); v != nil {
			return v, status
		}
	}
	return nil, ""
}

var upstreamMajorMinorRE = regexp.MustCompile(`^(?:\d+:)?(\d+\.\d+)`)

// dpkgLibc6 returns the upstream version (e.g. 2.36) of package libc6 in
// dpkg status data; nil when it is not listed.
func dpkgLibc6(status []byte) elfinfo.Version {
	v, err := deb.InstalledVersion(status, "libc6")
	if err != nil {
		return nil
	}
	m := upstreamMajorMinorRE.FindStringSubmatch(v)
	if m == nil {
		return nil
	}
	ver, _ := elfinfo.ParseVersion(m[1])
	return ver
}

// glibcDirs are the directories glibc's loader searches by default.
func glibcDirs(a linkmode.Arch) []string {
	var dirs []string
	if t := a.Triple(); t != "" {
		dirs = append(dirs, "/lib/"+t, "/usr/lib/"+t)
	}
	return append(dirs, "/lib64", "/usr/lib64", "/lib", "/usr/lib")
}

// muslDirs are musl's default library path.
var muslDirs = []string{"/lib", "/usr/local/lib", "/usr/lib"}

// searchDirs returns the directories the loader of info searches.
func searchDirs(info *elfinfo.Info) []string {
	var dirs []string
	for _, d := range info.RunPath {
		if path.IsAbs(d) {
			dirs = append(dirs, d)
		}
	}
	switch info.Libc {
	case linkmode.LibcMusl:
		return append(dirs, muslDirs...)
	case linkmode.LibcGlibc:
		return append(dirs, glibcDirs(info.Arch)...)
	}
	dirs = append(dirs, glibcDirs(info.Arch)...)
	return append(dirs, "/usr/local/lib")
}

func (b *Base) findLib(name string, dirs []string) (string, bool) {
	if strings.Contains(name, "/") {
		return b.Resolve(name)
	}
	for _, d := range dirs {
		if p, ok := b.Resolve(path.Join(d, name)); ok {
			return p, true
		}
	}
	return "", false
}

// muslBuiltinRE matches the libraries musl's loader provides itself.
var muslBuiltinRE = regexp.MustCompile(`^lib(c|pthread|rt|m|dl|util|xnet)\.so(\..*)?$`)

// BaseResult says whether a binary can start on a base. JSON field names
// are stable.
type BaseResult struct {
	Name   string `json:"name"`
	Source string `json:"source,omitempty"`
	OK     bool   `json:"ok"`
	// Interpreter is where the binary's PT_INTERP resolves in the base.
	Interpreter string    `json:"interpreter,omitempty"`
	Libraries   []Library `json:"libraries,omitempty"`
	// Glibc is the base's glibc version, if known, and where it came from.
	Glibc       string `json:"glibc,omitempty"`
	GlibcSource string `json:"glibc_source,omitempty"`
	// Problems lists everything that stops the binary, root cause first.
	Problems []string `json:"problems,omitempty"`
	// Notes are checks that could not be made, and other remarks.
	Notes []string `json:"notes,omitempty"`
}

// Library is one DT_NEEDED entry and where it was found.
type Library struct {
	Name  string `json:"name"`
	Found bool   `json:"found"`
	Path  string `json:"path,omitempty"` // resolved path, or "(interpreter)" for musl's built-ins
}

// CheckBase says whether the binary described by info can start on b.
func CheckBase(info *elfinfo.Info, b *Base) BaseResult {
	r := BaseResult{Name: b.Name, Source: b.Source}
	if info.Link != linkmode.LinkDynamic {
		r.OK = true
		r.Notes = append(r.Notes, fmt.Sprintf("%s binary: needs nothing from the base", info.Link))
		return r
	}
	a := archOr(info)
	prefix := fmt.Sprintf("%s cannot start on base %q: ", info.Path, b.Name)
	flavour := map[linkmode.Libc]string{linkmode.LibcGlibc: "glibc", linkmode.LibcMusl: "musl"}[info.Libc]
	baseFix := fmt.Sprintf("Use a %s base (go_image base = %q or \"auto\"), or build for linux_%s_musl / linux_%s (static).", flavour, flavour, a, a)
	if flavour == "" {
		flavour = "an unknown libc"
		baseFix = fmt.Sprintf("Add the loader and libraries to the base, or build for linux_%s_musl / linux_%s (static).", a, a)
	}

	if info.Interpreter != "" {
		if p, ok := b.Resolve(info.Interpreter); ok {
			r.Interpreter = p
		} else {
			r.Problems = append(r.Problems, fmt.Sprintf("%sit is dynamically linked against %s (interpreter %s is not in the base%s); the kernel would report \"exec: no such file or directory\". %s",
				prefix, flavour, info.Interpreter, b.otherArchHint(a), baseFix))
		}
	}
	dirs := searchDirs(info)
	for _, n := range info.Needed {
		lib := Library{Name: n}
		if info.Libc == linkmode.LibcMusl && muslBuiltinRE.MatchString(n) {
			lib.Found, lib.Path = r.Interpreter != "", "(interpreter)"
		} else {
			lib.Path, lib.Found = b.findLib(n, dirs)
		}
		r.Libraries = append(r.Libraries, lib)
		if lib.Found || (lib.Path == "(interpreter)" && len(r.Problems) > 0) {
			continue
		}
		fix := fmt.Sprintf("Add %s to the base, or link it statically (e.g. build for linux_%s_musl).", n, a)
		if isLibcPart(n) {
			fix = baseFix
		}
		r.Problems = append(r.Problems, fmt.Sprintf("%sit needs %s (DT_NEEDED), which is not in %s; the loader would fail with \"error while loading shared libraries: %s: cannot open shared object file\". %s",
			prefix, n, strings.Join(dirs, ", "), n, fix))
	}
	if info.GlibcMax != "" {
		need, _ := elfinfo.ParseVersion(info.GlibcMax)
		have, src := b.GlibcVersion(a)
		if have != nil {
			r.Glibc, r.GlibcSource = have.String(), src
		}
		switch {
		case have == nil:
			if len(r.Problems) == 0 {
				r.Notes = append(r.Notes, fmt.Sprintf("the glibc version of base %q is unknown, so GLIBC_%s (needed) was not checked; pass -base-glibc X.Y to check it", b.Name, info.GlibcMax))
			}
		case need.Compare(have) > 0:
			r.Problems = append(r.Problems, fmt.Sprintf("%sit needs GLIBC_%s (%s) but the base has glibc %s (%s); the loader would report \"version `GLIBC_%s' not found\". Use a base with glibc >= %s, or link against glibc %s or older (CC=\"zig cc -target %s-linux-gnu.%s\").",
				prefix, info.GlibcMax, strings.Join(info.GlibcMaxSymbols, ", "), have, src, info.GlibcMax, info.GlibcMax, have, a.CPU(), have))
		}
	}
	r.OK = len(r.Problems) == 0
	return r
}

// isLibcPart reports whether a library is part of glibc or musl itself.
func isLibcPart(n string) bool {
	for _, p := range []string{"libc.so", "libc.musl-", "libpthread.so", "libdl.so", "libm.so", "librt.so", "libresolv.so", "libutil.so", "libanl.so", "libnsl.so"} {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return false
}

// otherArchHint returns a remark when the base is for another architecture.
func (b *Base) otherArchHint(a linkmode.Arch) string {
	for _, o := range linkmode.Arches {
		if o == a {
			continue
		}
		for _, p := range []string{linkmode.GlibcInterpreter(o), linkmode.MuslInterpreter(o)} {
			if _, ok := b.Resolve(p); ok {
				return fmt.Sprintf("; the base has %s, so it is for %s, not %s", p, o, a)
			}
		}
	}
	return ""
}
