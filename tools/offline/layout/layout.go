// Package layout names the files of the offline environment under the cache directory
// (RULES_GO_CROSS_CACHE, default ${XDG_CACHE_HOME:-$HOME/.cache}/rules_go_cross):
//
//	env-v1/            the provisioned environment (env-v1.partial while being made)
//	env-v1/root/       the Debian root file system Bazel runs in
//	env-v1.lock        held while provisioning or topping up packages
//	bazel-output/      Bazel's --output_user_root
//	repository-cache/  Bazel's repository cache
//	disk-cache/        Bazel's disk cache
//	holder.pid         the namespace holder (holder-sealed-tmp.pid in the sealed-/tmp mode)
//
// The tools/bazel of every checkout, of every version, shares these files: their names and
// contents are an interface.
package layout

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// EnvVersion is the version in env-vN: a new one provisions a new environment beside the old.
const EnvVersion = 1

// Layout is the cache directory and the environment in it.
type Layout struct {
	Cache          string // the cache root, absolute and without symlinks when it exists
	Env            string // Cache/env-v1
	Root           string // Env/root
	OutputUserRoot string // Cache/bazel-output
}

// CacheDir is the cache root the environment names, before it is created or resolved.
func CacheDir(getenv func(string) string) string {
	if c := getenv("RULES_GO_CROSS_CACHE"); c != "" {
		return c
	}
	base := getenv("XDG_CACHE_HOME")
	if base == "" {
		base = getenv("HOME") + "/.cache"
	}
	return base + "/rules_go_cross"
}

// At is the layout under the cache directory dir, taken as it is.
func At(dir string) Layout {
	env := fmt.Sprintf("%s/env-v%d", dir, EnvVersion)
	return Layout{Cache: dir, Env: env, Root: env + "/root", OutputUserRoot: dir + "/bazel-output"}
}

// New creates the cache directory if it can and returns the layout under its physical path
// (under the path as given when it cannot be resolved).
func New(getenv func(string) string) Layout {
	dir := CacheDir(getenv)
	_ = os.MkdirAll(dir, 0o777)
	if abs, err := filepath.Abs(dir); err == nil {
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			dir = real
		}
	}
	return At(dir)
}

// LockFile is the lock held while the environment is provisioned or changed.
func (l Layout) LockFile() string { return fmt.Sprintf("%s/env-v%d.lock", l.Cache, EnvVersion) }

// Lock takes the environment's lock (flock(2), as flock(1) does: older tools/bazel scripts take
// the same lock) and returns its release.
func (l Layout) Lock() (unlock func(), err error) {
	f, err := os.OpenFile(l.LockFile(), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", l.LockFile(), err)
	}
	return func() { f.Close() }, nil
}
