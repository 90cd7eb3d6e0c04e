// Package linkmodetest builds small sample binaries for the tests of the
// linkmode tools. Binaries are built with the plan package linkmode makes
// for the platform, so the tests also check that plans produce what they
// promise. Cgo samples are compiled with `zig cc`.
//
// The zig executable is $RULES_GO_CROSS_ZIG, else `zig` from PATH; without
// one, tests that need a cgo sample are skipped. ZIG_GLOBAL_CACHE_DIR and
// ZIG_LOCAL_CACHE_DIR default to a cache shared by all test runs under
// os.TempDir(), because a cold zig cache costs minutes.
package linkmodetest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
)

// Samples.
const (
	// Pure imports net and os/user but no C code.
	Pure = "pure"
	// Cgo has import "C" and also imports net and os/user. On glibc it
	// calls statx, so it requires GLIBC_2.28.
	Cgo = "cgo"
)

// GlibcPin is the glibc version cgo samples are linked against.
const GlibcPin = "2.28"

// ZigEnv names the environment variable holding the zig executable.
const ZigEnv = "RULES_GO_CROSS_ZIG"

const goMod = "module example.com/sample\n\ngo 1.26\n"

const pureMain = `package main

import (
	"fmt"
	"net"
	"os/user"
)

func main() {
	addrs, err := net.LookupHost("localhost")
	u, uerr := user.Current()
	fmt.Println(addrs, err, u, uerr)
}
`

const cgoMain = `package main

/*
#cgo CFLAGS: -D_GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static int probe(void) {
#if defined(__GLIBC__)
	struct statx st;
	return statx(AT_FDCWD, "/", 0, STATX_BASIC_STATS, &st);
#else
	return (int)getpid();
#endif
}
*/
import "C"

import (
	"fmt"
	"net"
	"os/user"
)

func main() {
	addrs, err := net.LookupHost("localhost")
	u, uerr := user.Current()
	fmt.Println(int(C.probe()), addrs, err, u, uerr)
}
`

// Facts returns the facts of a sample, as go list would report them.
func Facts(sample string) linkmode.Facts {
	p := linkmode.Package{ImportPath: "example.com/sample", Imports: []string{"fmt", "net", "os/user"}}
	if sample == Cgo {
		p.CgoFiles = []string{"main.go"}
		p.Imports = append([]string{"C"}, p.Imports...)
	}
	return linkmode.Facts{Packages: []linkmode.Package{
		p,
		{ImportPath: "net", Standard: true},
		{ImportPath: "os/user", Standard: true},
	}}
}

// Zig returns the zig executable to use, or "".
func Zig() string {
	if z := os.Getenv(ZigEnv); z != "" {
		return z
	}
	z, _ := exec.LookPath("zig")
	return z
}

// RequireGo skips tb unless the go command of the build's SDK is at hand: under bazel test
// (TEST_SRCDIR set) the go in PATH, if any, is not the build's SDK and has no cache, so these
// tests run in `go test ./...` instead (tools/test step 2).
func RequireGo(tb testing.TB) {
	tb.Helper()
	if os.Getenv("TEST_SRCDIR") != "" {
		tb.Skip("this test runs the go command; under bazel test it runs in go test ./... instead (tools/test)")
	}
	if _, err := exec.LookPath("go"); err != nil {
		tb.Skip("this test runs the go command, which is not in PATH; run it with go test")
	}
}

// Builder builds each sample once per platform into a directory.
type Builder struct {
	dir   string
	mu    sync.Mutex
	built map[string]built
}

type built struct {
	path string
	err  error
	skip string
}

// NewBuilder returns a builder writing to dir (for example a directory
// made by TestMain and removed after the tests).
func NewBuilder(dir string) *Builder {
	return &Builder{dir: dir, built: map[string]built{}}
}

// Main runs the tests of m with *samples set to a Builder whose binaries go to
// a temporary directory, removed when the tests end, and exits with their
// status. A test package's TestMain calls it.
func Main(m *testing.M, samples **Builder) {
	dir, err := os.MkdirTemp("", "linkmodetest")
	if err != nil {
		fmt.Fprintln(os.Stderr, "linkmodetest: a directory for the sample binaries:", err)
		os.Exit(2)
	}
	*samples = NewBuilder(dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// Binary returns the sample built for platform, building it on first use.
// It skips tb when zig is needed but missing and fails tb when the build
// fails.
func (b *Builder) Binary(tb testing.TB, sample, platform string) string {
	tb.Helper()
	RequireGo(tb)
	b.mu.Lock()
	defer b.mu.Unlock()
	key := sample + "_" + platform
	r, ok := b.built[key]
	if !ok {
		r = b.build(sample, platform)
		b.built[key] = r
	}
	switch {
	case r.skip != "":
		tb.Skip(r.skip)
	case r.err != nil:
		tb.Fatal(r.err)
	}
	return r.path
}

func (b *Builder) build(sample, platform string) built {
	t, err := linkmode.ParsePlatform(platform)
	if err != nil {
		return built{err: err}
	}
	plan, err := linkmode.Decide(Facts(sample), t)
	if err != nil {
		return built{err: err}
	}
	src := filepath.Join(b.dir, "src_"+sample)
	main := pureMain
	if sample == Cgo {
		main = cgoMain
	}
	if err := os.MkdirAll(src, 0o755); err != nil {
		return built{err: err}
	}
	for name, content := range map[string]string{"go.mod": goMod, "main.go": main} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(content), 0o644); err != nil {
			return built{err: err}
		}
	}
	env := append(os.Environ(), plan.Env...)
	env = append(env, "GOWORK=off", "GOTOOLCHAIN=local")
	if plan.Cgo {
		zig := Zig()
		if zig == "" {
			return built{skip: fmt.Sprintf("no zig to build the %s sample for %s: set %s to a zig executable (e.g. /tmp/zig/sdk/zig) or put zig in PATH", sample, platform, ZigEnv)}
		}
		target := plan.ZigTarget
		if t.Libc == linkmode.LibcGlibc {
			target += "." + GlibcPin
		}
		env = append(env, "CC="+zig+" cc -target "+target)
		cache := filepath.Join(os.TempDir(), "rules_go_cross_zig_cache")
		for _, v := range []string{"ZIG_GLOBAL_CACHE_DIR", "ZIG_LOCAL_CACHE_DIR"} {
			if os.Getenv(v) == "" {
				env = append(env, v+"="+cache)
			}
		}
	}
	out := filepath.Join(b.dir, sample+"_"+platform)
	args := []string{"build", "-trimpath", "-o", out}
	if len(plan.Tags) > 0 {
		args = append(args, "-tags", plan.TagsString())
	}
	args = append(args, "-ldflags", plan.LDFlagsString(), ".")
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Env = src, env
	if msg, err := cmd.CombinedOutput(); err != nil {
		return built{err: fmt.Errorf("building the %s sample for %s: go %s: %v\n%s", sample, platform, strings.Join(args, " "), err, msg)}
	}
	return built{path: out}
}
