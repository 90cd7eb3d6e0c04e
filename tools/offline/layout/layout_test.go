package layout

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCacheDir(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"explicit", map[string]string{"RULES_GO_CROSS_CACHE": "/c", "XDG_CACHE_HOME": "/x", "HOME": "/h"}, "/c"},
		{"xdg", map[string]string{"XDG_CACHE_HOME": "/x", "HOME": "/h"}, "/x/rules_go_cross"},
		{"home", map[string]string{"HOME": "/h"}, "/h/.cache/rules_go_cross"},
		{"empty values count as unset", map[string]string{"RULES_GO_CROSS_CACHE": "", "XDG_CACHE_HOME": "", "HOME": "/h"}, "/h/.cache/rules_go_cross"},
	} {
		if got := CacheDir(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("%s: CacheDir = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestAt(t *testing.T) {
	l := At("/c")
	want := Layout{Cache: "/c", Env: "/c/env-v1", Root: "/c/env-v1/root", OutputUserRoot: "/c/bazel-output"}
	if l != want {
		t.Errorf("At = %+v, want %+v", l, want)
	}
	if got := l.LockFile(); got != "/c/env-v1.lock" {
		t.Errorf("LockFile = %q", got)
	}
}

func TestNewResolvesSymlinks(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	if err := os.Mkdir(real, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	realDir, _ := filepath.EvalSymlinks(real)
	for _, tc := range []struct{ given, want string }{
		{filepath.Join(dir, "link"), realDir},
		{filepath.Join(dir, "link", "new"), filepath.Join(realDir, "new")}, // created
	} {
		l := New(func(k string) string {
			if k == "RULES_GO_CROSS_CACHE" {
				return tc.given
			}
			return ""
		})
		if l.Cache != tc.want {
			t.Errorf("New(%s).Cache = %q, want %q", tc.given, l.Cache, tc.want)
		}
	}
}

func TestLock(t *testing.T) {
	l := At(t.TempDir())
	unlock, err := l.Lock()
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	unlock, err = l.Lock() // released: taken again
	if err != nil {
		t.Fatal(err)
	}
	unlock()
}
