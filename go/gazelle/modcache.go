package gazelle

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/srcfacts"
)

// modCache reads third-party packages from the Go module cache, for the
// modules (and versions) the repository's go.mod requires: what go_deps
// builds them from. A package whose module is not in the cache (never
// downloaded on this machine) is unknown, as before: pure Go unless
// go_image_cgo_deps names it.
type modCache struct {
	once    sync.Once
	goMod   string // the repository's go.mod
	root    string // GOMODCACHE
	mods    []module.Version
	mu      sync.Mutex
	read    map[string]*linkmode.Package // dir + "|" + arch + "|" + tags
	missing map[string]bool
}

func newModCache(goMod, root string) *modCache {
	return &modCache{goMod: goMod, root: root, read: map[string]*linkmode.Package{}, missing: map[string]bool{}}
}

// moduleCacheRoot is where the go command keeps modules: GOMODCACHE, else
// the first GOPATH entry's pkg/mod, else ~/go/pkg/mod.
func moduleCacheRoot() string {
	if d := os.Getenv("GOMODCACHE"); d != "" {
		return d
	}
	if gp := os.Getenv("GOPATH"); gp != "" {
		return filepath.Join(filepath.SplitList(gp)[0], "pkg", "mod")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, "go", "pkg", "mod")
	}
	return ""
}

func (m *modCache) load() {
	data, err := os.ReadFile(m.goMod)
	if err != nil || m.root == "" {
		return
	}
	f, err := modfile.ParseLax(m.goMod, data, nil)
	if err != nil {
		return
	}
	replaced := map[string]module.Version{}
	for _, r := range f.Replace {
		// A replacement by a directory is the user's own code, not in the cache.
		if r.New.Version != "" {
			replaced[r.Old.Path] = r.New
		} else {
			replaced[r.Old.Path] = module.Version{}
		}
	}
	for _, r := range f.Require {
		v := r.Mod
		if n, ok := replaced[v.Path]; ok {
			if n.Path == "" {
				continue
			}
			v = n
		}
		m.mods = append(m.mods, v)
	}
	// Longest module path first: the module of an import path is the longest prefix.
	sort.Slice(m.mods, func(i, j int) bool { return len(m.mods[i].Path) > len(m.mods[j].Path) })
}

// dir returns the module cache directory of the package imp, if its module
// is required and downloaded.
func (m *modCache) dir(imp string) (string, bool) {
	m.once.Do(m.load)
	for _, v := range m.mods {
		if imp != v.Path && !strings.HasPrefix(imp, v.Path+"/") {
			continue
		}
		escPath, err1 := module.EscapePath(v.Path)
		escVer, err2 := module.EscapeVersion(v.Version)
		if err1 != nil || err2 != nil {
			return "", false
		}
		d := filepath.Join(m.root, escPath+"@"+escVer, filepath.FromSlash(strings.TrimPrefix(imp[len(v.Path):], "/")))
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d, true
		}
		return "", false
	}
	return "", false
}

// pkg returns the facts of the third-party package imp for linux/arch with
// the build tags tags, or nil when it cannot be read.
func (m *modCache) pkg(imp string, arch linkmode.Arch, tags []string) *linkmode.Package {
	d, ok := m.dir(imp)
	if !ok {
		return nil
	}
	key := d + "|" + string(arch) + "|" + strings.Join(tags, ",")
	m.mu.Lock()
	defer m.mu.Unlock()
	if p, ok := m.read[key]; ok || m.missing[key] {
		return p
	}
	src, err := srcfacts.Read(d, imp, arch, tags)
	if err != nil || src == nil {
		m.missing[key] = true
		return nil
	}
	m.read[key] = &src.Package
	return &src.Package
}
