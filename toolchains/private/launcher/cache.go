package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
)

// invocationCache is the zig cache of one launcher invocation: a fresh
// temporary directory (in $TMPDIR, which Bazel points at a private or
// sandboxed /tmp), removed when the invocation ends. A link's cache is
// seeded with the target's prebuilt C runtime (its C and C++ parts; an
// entry both parts hold, such as the crt files, comes from the first):
//
//	<dir>/h/<key>.txt     copies of the runtime's manifests (zig locks and
//	                      may rewrite them)
//	<dir>/o/<digest>      symlinks to the runtime's read-only outputs
//
// zig then finds libc, the crt files, compiler-rt and libc++ in its cache
// and builds nothing but the link itself.
type invocationCache struct {
	dir    string
	seeded map[string]bool // o/ entries that came from the runtime
}

func newInvocationCache(runtimes ...string) (*invocationCache, error) {
	dir, err := os.MkdirTemp("", "rules_go_cross-zig-")
	if err != nil {
		return nil, fmt.Errorf("cannot create a temporary zig cache (in $TMPDIR or /tmp): %v", err)
	}
	c := &invocationCache{dir: dir, seeded: map[string]bool{}}
	for _, runtime := range runtimes {
		if err := c.seed(runtime); err != nil {
			c.remove()
			return nil, err
		}
	}
	return c, nil
}

func (c *invocationCache) seed(runtime string) error {
	for _, sub := range []string{"h", "o"} {
		if err := os.MkdirAll(filepath.Join(c.dir, sub), 0o755); err != nil {
			return err
		}
	}
	manifests, err := os.ReadDir(filepath.Join(runtime, "h"))
	if err != nil {
		return fmt.Errorf("the prebuilt C runtime %s is incomplete (no h/): %v", runtime, err)
	}
	for _, m := range manifests {
		if _, err := os.Lstat(filepath.Join(c.dir, "h", m.Name())); err == nil {
			continue // the same entry from an earlier part
		}
		if err := copyFile(filepath.Join(runtime, "h", m.Name()), filepath.Join(c.dir, "h", m.Name())); err != nil {
			return fmt.Errorf("seeding the zig cache from %s: %v", runtime, err)
		}
	}
	outputs, err := os.ReadDir(filepath.Join(runtime, "o"))
	if err != nil {
		return fmt.Errorf("the prebuilt C runtime %s is incomplete (no o/): %v", runtime, err)
	}
	for _, o := range outputs {
		if c.seeded[o.Name()] {
			continue
		}
		if err := os.Symlink(filepath.Join(runtime, "o", o.Name()), filepath.Join(c.dir, "o", o.Name())); err != nil {
			return fmt.Errorf("seeding the zig cache from %s: %v", runtime, err)
		}
		c.seeded[o.Name()] = true
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// runtimePiece matches the names of the C runtime files zig builds for a
// link: archives (libc.a, libcompiler_rt.a, libc++.a, libc_nonshared.a,
// ...), glibc's stub shared libraries and loader, musl's libc.so, and the
// crt objects.
var runtimePiece = regexp.MustCompile(`^(lib.*\.a|.*\.so(\.[0-9]+)*|ld-.*|[Sr]?crt[1in]\.o)$`)

// builtRuntimePieces lists the C runtime files zig built in this cache (in
// entries that did not come from the prebuilt runtime), sorted and unique.
func (c *invocationCache) builtRuntimePieces() []string {
	entries, err := os.ReadDir(filepath.Join(c.dir, "o"))
	if err != nil {
		return nil
	}
	set := map[string]bool{}
	for _, e := range entries {
		if c.seeded[e.Name()] || !e.IsDir() {
			continue
		}
		files, err := os.ReadDir(filepath.Join(c.dir, "o", e.Name()))
		if err != nil {
			continue
		}
		for _, f := range files {
			if runtimePiece.MatchString(f.Name()) {
				set[f.Name()] = true
			}
		}
	}
	var out []string
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (c *invocationCache) remove() {
	os.RemoveAll(c.dir)
}
