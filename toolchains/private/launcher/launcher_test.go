package main

// End-to-end tests: build the launcher with `go build`, lay out a fake
// execroot like Bazel's and run the launcher through cc/c++/ar symlinks.
// TestLauncherFakeZig uses a shell script as zig; TestLauncherZig needs a real
// Zig 0.11 SDK (env RULES_GO_CROSS_ZIG=/path/to/zig, else zig on PATH) and is
// skipped without one.

import (
	"bytes"
	"context"
	"debug/dwarf"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// zigEnvVar names the zig executable for TestLauncherZig.
const zigEnvVar = "RULES_GO_CROSS_ZIG"

// toolSubdir is where the tool dirs live below the fake execroot; with the
// target dir appended it is toolDepth segments deep.
const (
	toolSubdir = "bazel-out/k8-opt-exec/bin/external/rules_go_cross~/toolchains"
	toolDepth  = 7
)

var (
	launcherOnce sync.Once
	launcherPath string
	launcherErr  error
	launcherDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if launcherDir != "" {
		os.RemoveAll(launcherDir)
	}
	os.Exit(code)
}

// goTool returns the go command that runs this test.
func goTool(t *testing.T) string {
	t.Helper()
	if os.Getenv("TEST_SRCDIR") != "" {
		// Under bazel test there is no usable go command or module; tools/test runs these
		// end-to-end tests with go test ./..., and //tests/cgo covers the launcher inside Bazel.
		t.Skip("builds the launcher with the go command: runs under go test ./... (tools/test), not bazel test")
	}
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	p, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command found (needed to build the launcher)")
	}
	return p
}

// buildLauncher builds the launcher once per test binary, into a directory
// outside every fake execroot (like Bazel's sandbox, where the cc symlink
// points into another tree).
func buildLauncher(t *testing.T) string {
	t.Helper()
	gobin := goTool(t)
	launcherOnce.Do(func() {
		launcherDir, launcherErr = os.MkdirTemp("", "rules_go_cross_launcher_bin")
		if launcherErr != nil {
			return
		}
		launcherPath = filepath.Join(launcherDir, "launcher")
		cmd := exec.Command(gobin, "build", "-o", launcherPath, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOWORK=off", "GOFLAGS=")
		if out, err := cmd.CombinedOutput(); err != nil {
			launcherErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if launcherErr != nil {
		t.Fatal(launcherErr)
	}
	return launcherPath
}

// execroot is a fake Bazel execroot.
type execroot struct {
	t        *testing.T
	root     string
	launcher string
	cache    string
}

func newExecroot(t *testing.T, cache string) *execroot {
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return &execroot{t: t, root: root, launcher: buildLauncher(t), cache: cache}
}

// addSDK links (or, with zig == "", leaves for the caller) the SDK at
// external/<repo>/{zig,lib}.
func (e *execroot) addSDK(repo, zig, lib string) {
	d := filepath.Join(e.root, "external", repo)
	must(e.t, os.MkdirAll(d, 0o755))
	must(e.t, os.Symlink(zig, filepath.Join(d, "zig")))
	must(e.t, os.Symlink(lib, filepath.Join(d, "lib")))
}

// addTools creates <toolSubdir>/<name>/{cc,c++,ar,launcher.cfg} with cfg
// (nil: no launcher.cfg) and returns the dir relative to the execroot.
func (e *execroot) addTools(name string, cfg []byte) string {
	rel := filepath.Join(toolSubdir, name)
	d := filepath.Join(e.root, rel)
	must(e.t, os.MkdirAll(d, 0o755))
	for _, n := range []string{"cc", "c++", "ar"} {
		must(e.t, os.Symlink(e.launcher, filepath.Join(d, n)))
	}
	if cfg != nil {
		must(e.t, os.WriteFile(filepath.Join(d, "launcher.cfg"), cfg, 0o644))
	}
	return rel
}

// cfg is a launcher.cfg like Bazel's for a target of GOARCH goarch;
// cache= only when the execroot has a shared cache, runtime= when runtime
// is not "".
func (e *execroot) cfg(target, goarch, repo, runtime string) []byte {
	c := fmt.Sprintf("# test config\ntarget=%s\nzig=external/%s/zig   # zig\nlib=external/%s/lib\ndepth=%d\ngoarch=%s\n",
		target, repo, repo, toolDepth, goarch)
	if e.cache != "" {
		c += "cache=" + e.cache + "\n"
	}
	if runtime != "" {
		c += "runtime=" + runtime + "\n"
	}
	return []byte(c)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

type result struct {
	stdout, stderr string
	code           int
}

// runCmd runs name in dir. A deadline near the test's own ends the command
// (and its children) with a message about cold zig caches.
func runCmd(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	return runCmdIn(t, "", dir, env, name, args...)
}

// runCmdIn is runCmd with stdin.
func runCmdIn(t *testing.T, stdin, dir string, env []string, name string, args ...string) result {
	t.Helper()
	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-30*time.Second))
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var stdout, stderr bytes.Buffer
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s %q timed out near the test deadline. A cold zig cache needs minutes per target "+
			"(libc, compiler-rt) on a small machine; the cache is kept, so rerun, or use go test -timeout=30m.\nstderr:\n%s",
			name, args, stderr.String())
	}
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("%s: %v", name, err)
	}
	return r
}

func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "CC", "CXX", "CGO_ENABLED", "CGO_CFLAGS", "CGO_CXXFLAGS", "CGO_LDFLAGS", "GOOS", "GOARCH", "GOFLAGS", "GOWORK", "GOTOOLCHAIN":
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

// fakeZig prints what it was started with, so tests can see what the
// launcher execs, and exits with $FAKE_ZIG_EXIT.
// With FAKE_ZIG_ELF it writes that file to the -o output (zig objcopy: to
// its second operand), and with FAKE_ZIG_BUILD it adds a libc.a of its own
// to the cache, like zig building a runtime piece.
const fakeZig = `#!/bin/sh
if [ "$1" = objcopy ]; then
  echo "objcopy $2 $3 $4" >>"$FAKE_ZIG_LOG"
  cp "$3" "$4"
  exit 0
fi
echo "pwd=$PWD"
echo "argv0=$0"
echo "ZIG_LIB_DIR=$ZIG_LIB_DIR"
echo "ZIG_GLOBAL_CACHE_DIR=$ZIG_GLOBAL_CACHE_DIR"
echo "ZIG_LOCAL_CACHE_DIR=$ZIG_LOCAL_CACHE_DIR"
echo "CPATH=$CPATH"
for a in "$@"; do echo "arg=$a"; done
for h in "$ZIG_GLOBAL_CACHE_DIR"/h/*; do [ -f "$h" ] && echo "h=$(basename "$h")"; done
for o in "$ZIG_GLOBAL_CACHE_DIR"/o/*; do [ -L "$o" ] && echo "o=$(basename "$o") -> $(readlink "$o")"; done
if [ -n "$FAKE_ZIG_BUILD" ]; then mkdir -p "$ZIG_GLOBAL_CACHE_DIR/o/fresh" && : >"$ZIG_GLOBAL_CACHE_DIR/o/fresh/libc.a"; fi
if [ -n "$FAKE_ZIG_ELF" ]; then
  prev=
  for a in "$@"; do [ "$prev" = -o ] && cp "$FAKE_ZIG_ELF" "$a"; prev=$a; done
fi
exit ${FAKE_ZIG_EXIT:-0}
`

func TestLauncherFakeZig(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh for the fake zig")
	}
	e := newExecroot(t, "")
	sdk := filepath.Join(e.root, "external", "fake_sdk")
	must(t, os.MkdirAll(filepath.Join(sdk, "lib", "include"), 0o755))
	must(t, os.WriteFile(filepath.Join(sdk, "zig"), []byte(fakeZig), 0o755))
	// A prebuilt runtime: one manifest, one output.
	const rt = "bazel-out/k8-opt-exec/bin/tc/runtime_x86_64-linux-musl"
	must(t, os.MkdirAll(filepath.Join(e.root, rt, "h"), 0o755))
	must(t, os.MkdirAll(filepath.Join(e.root, rt, "o", "d1"), 0o755))
	must(t, os.WriteFile(filepath.Join(e.root, rt, "h", "k1.txt"), []byte("0\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(e.root, rt, "o", "d1", "libc.a"), nil, 0o644))
	musl := e.addTools("x86_64-linux-musl", e.cfg("x86_64-linux-musl", "amd64", "fake_sdk", rt))
	gnu := e.addTools("x86_64-linux-gnu.2.28", e.cfg("x86_64-linux-gnu.2.28", "amd64", "fake_sdk", ""))
	zigLog := filepath.Join(t.TempDir(), "zig.log")
	tmp := t.TempDir()
	env := cleanEnv("CPATH=/usr/include", cacheEnv+"=", "TMPDIR="+tmp, "FAKE_ZIG_LOG="+zigLog)

	lines := func(r result) []string { return strings.Split(strings.TrimSpace(r.stdout), "\n") }
	has := func(t *testing.T, r result, want ...string) {
		t.Helper()
		got := lines(r)
		for _, w := range want {
			found := false
			for _, g := range got {
				found = found || g == w
			}
			if !found {
				t.Errorf("fake zig output lacks %q:\n%s\nstderr: %s", w, r.stdout, r.stderr)
			}
		}
	}
	value := func(r result, key string) string {
		for _, l := range lines(r) {
			if v, ok := strings.CutPrefix(l, key+"="); ok {
				return v
			}
		}
		return ""
	}
	args := func(r result) []string {
		var a []string
		for _, l := range lines(r) {
			if s, ok := strings.CutPrefix(l, "arg="); ok {
				a = append(a, s)
			}
		}
		return a
	}
	// freshCache checks that zig got a new cache in $TMPDIR, gone afterwards.
	freshCache := func(t *testing.T, r result) {
		t.Helper()
		c := value(r, "ZIG_GLOBAL_CACHE_DIR")
		if !strings.HasPrefix(c, filepath.Join(tmp, "rules_go_cross-zig-")) || value(r, "ZIG_LOCAL_CACHE_DIR") != c {
			t.Errorf("zig cache %q (local %q); want a fresh dir in $TMPDIR %s", c, value(r, "ZIG_LOCAL_CACHE_DIR"), tmp)
		}
		if _, err := os.Stat(c); !os.IsNotExist(err) {
			t.Errorf("the invocation's cache %s is still there (%v); want it removed", c, err)
		}
	}

	t.Run("compile in execroot: relative paths, empty fresh cache", func(t *testing.T) {
		r := runCmd(t, e.root, env, filepath.Join(musl, "cc"), "-c", "-o", "a.o", "a.c", "-target", "x86_64-linux-gnu")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		has(t, r, "pwd="+e.root, "argv0=external/fake_sdk/zig", "ZIG_LIB_DIR=external/fake_sdk/lib", "CPATH=")
		freshCache(t, r)
		if strings.Contains(r.stdout, "h=") || strings.Contains(r.stdout, "o=") {
			t.Errorf("a compile got the runtime in its cache:\n%s", r.stdout)
		}
		a := args(r)
		if len(a) < 3 || a[0] != "cc" || a[len(a)-2] != "-target" || a[len(a)-1] != "x86_64-linux-musl" {
			t.Errorf("args %q: want cc ... -target x86_64-linux-musl", a)
		}
		if strings.Count(strings.Join(a, " "), "-target") != 1 || strings.Contains(strings.Join(a, " "), "-fPIC") {
			t.Errorf("args %q: caller's -target not dropped, or -fPIC added to a compile", a)
		}
		has(t, r, "arg=-ffile-prefix-map="+e.root+"=.", `arg=-D__DATE__="redacted"`)
	})

	t.Run("link in execroot: the runtime seeds the cache", func(t *testing.T) {
		r := runCmd(t, e.root, env, filepath.Join(musl, "c++"), "-o", "prog", "a.o", "-lc++")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		freshCache(t, r)
		has(t, r, "ZIG_LIB_DIR=/proc/self/cwd/external/fake_sdk/lib", "h=k1.txt",
			"o=d1 -> "+filepath.Join(e.root, rt, "o", "d1"), "arg=-fPIC")
		if strings.Contains(r.stderr, "warning") {
			t.Errorf("unexpected warning: %s", r.stderr)
		}
		if _, err := os.Stat(filepath.Join(e.root, rt, "o", "d1", "libc.a")); err != nil {
			t.Errorf("the runtime lost a file: %v", err)
		}
	})

	t.Run("link that builds a runtime piece warns", func(t *testing.T) {
		r := runCmd(t, e.root, append(env, "FAKE_ZIG_BUILD=1"), filepath.Join(musl, "cc"), "-o", "prog", "a.o", "-pie")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		for _, w := range []string{"warning: zig built libc.a for x86_64-linux-musl", "(-pie)", rt} {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("stderr %q lacks %q", r.stderr, w)
			}
		}
	})

	t.Run("strip flags: removed, output stripped with zig objcopy", func(t *testing.T) {
		os.Remove(zigLog)
		self, err := os.Executable()
		must(t, err)
		r := runCmd(t, e.root, append(env, "FAKE_ZIG_ELF="+self), filepath.Join(musl, "cc"), "-o", "stripped", "a.o", "-s", "-Wl,--gc-sections,-S")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		a := strings.Join(args(r), " ")
		if strings.Contains(a, " -s") || strings.Contains(a, "-S") || !strings.Contains(a, "-Wl,--gc-sections") {
			t.Errorf("args %q: want -s and -S removed, --gc-sections kept", a)
		}
		log, err := os.ReadFile(zigLog)
		must(t, err)
		if got := strings.TrimSpace(string(log)); got != "objcopy --strip-all stripped stripped.rules_go_cross-strip" {
			t.Errorf("zig objcopy calls: %q", got)
		}
		if fi, err := os.Stat(filepath.Join(e.root, "stripped")); err != nil || fi.Mode().Perm()&0o100 == 0 {
			t.Errorf("stripped output: %v, %v; want it executable", fi, err)
		}
	})

	t.Run("outside execroot: absolute zig, anchored lib", func(t *testing.T) {
		other := t.TempDir()
		r := runCmd(t, other, env, filepath.Join(e.root, gnu, "c++"), "-o", "p", "a.o", "-u", "sym")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		has(t, r, "argv0="+filepath.Join(e.root, "external/fake_sdk/zig"),
			"ZIG_LIB_DIR=/proc/self/cwd/external/fake_sdk/lib",
			"arg=c++", "arg=-Wl,-u,sym", "arg=x86_64-linux-gnu.2.28")
		if got, err := os.Readlink(filepath.Join(other, "external")); err != nil || got != filepath.Join(e.root, "external") {
			t.Errorf("%s/external -> %q, %v; want the execroot's external", other, got, err)
		}
	})

	t.Run("relative argv0 from a subdir", func(t *testing.T) {
		sub := filepath.Join(e.root, "bazel-out")
		rel, _ := filepath.Rel(sub, filepath.Join(e.root, musl, "ar"))
		r := runCmd(t, sub, env, rel, "rcsD", "x.a", "y.o")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if got := args(r); strings.Join(got, " ") != "ar rcsD x.a y.o" {
			t.Errorf("ar args %q", got)
		}
		has(t, r, "argv0="+filepath.Join(e.root, "external/fake_sdk/zig"))
	})

	t.Run("env selects a shared cache", func(t *testing.T) {
		over := filepath.Join(t.TempDir(), "c")
		r := runCmd(t, e.root, cleanEnv(cacheEnv+"="+over), filepath.Join(musl, "cc"), "--version")
		has(t, r, "ZIG_GLOBAL_CACHE_DIR="+over, "ZIG_LOCAL_CACHE_DIR="+over)
	})

	t.Run("exit status passes through", func(t *testing.T) {
		r := runCmd(t, e.root, cleanEnv("FAKE_ZIG_EXIT=3"), filepath.Join(musl, "cc"), "-c", "a.c")
		if r.code != 3 {
			t.Errorf("exit %d; want 3 (zig's)", r.code)
		}
	})

	t.Run("params file expanded", func(t *testing.T) {
		must(t, os.WriteFile(filepath.Join(e.root, "link.params"), []byte("-o\n'out file'\na.o\n-u\nsym\n--target=x\n"), 0o644))
		r := runCmd(t, e.root, env, filepath.Join(musl, "cc"), "@link.params")
		has(t, r, "arg=out file", "arg=-Wl,-u,sym")
		if strings.Contains(r.stdout, "--target=x") || strings.Contains(r.stdout, "@link.params") {
			t.Errorf("params file not expanded and rewritten:\n%s", r.stdout)
		}
	})

	t.Run("static glibc fails", func(t *testing.T) {
		r := runCmd(t, e.root, env, filepath.Join(gnu, "cc"), "-static", "-o", "p", "a.o")
		want := "rules_go_cross: -static is not possible with glibc target x86_64-linux-gnu.2.28: glibc binaries are dynamic; use a musl platform (linux_amd64_musl) for a static binary"
		if r.code != 1 || !strings.Contains(r.stderr, want) || r.stdout != "" {
			t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and %q", r.code, r.stdout, r.stderr, want)
		}
	})

	t.Run("libgcc query answered", func(t *testing.T) {
		r := runCmd(t, e.root, env, filepath.Join(musl, "cc"), "-m64", "--print-libgcc-file-name")
		if r.code != 0 || r.stdout != "libgcc.a\n" {
			t.Errorf("exit %d, stdout %q", r.code, r.stdout)
		}
	})
}

func TestLauncherErrors(t *testing.T) {
	e := newExecroot(t, filepath.Join(t.TempDir(), "zig-cache"))
	env := cleanEnv()

	t.Run("missing cfg", func(t *testing.T) {
		d := e.addTools("nocfg", nil)
		r := runCmd(t, e.root, env, filepath.Join(d, "cc"), "-c", "a.c")
		file := filepath.Join(e.root, d, "launcher.cfg")
		if r.code != 2 || !strings.Contains(r.stderr, file) {
			t.Errorf("exit %d, stderr %q; want 2 and the cfg path %s", r.code, r.stderr, file)
		}
	})
	t.Run("missing key", func(t *testing.T) {
		d := e.addTools("nolib", []byte("target=x86_64-linux-musl\nzig=external/x/zig\ndepth=7\n"))
		r := runCmd(t, e.root, env, filepath.Join(d, "c++"), "-c", "a.cc")
		if r.code != 2 || !strings.Contains(r.stderr, `"lib"`) || !strings.Contains(r.stderr, filepath.Join(e.root, d, "launcher.cfg")) {
			t.Errorf("exit %d, stderr %q; want 2, key \"lib\" and the cfg path", r.code, r.stderr)
		}
	})
	t.Run("missing zig", func(t *testing.T) {
		d := e.addTools("nozig", e.cfg("x86_64-linux-musl", "amd64", "absent_sdk", ""))
		r := runCmd(t, t.TempDir(), env, filepath.Join(e.root, d, "cc"), "-c", "a.c")
		want := filepath.Join(e.root, "external/absent_sdk/zig")
		if r.code != 2 || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "Zig SDK repository may be incomplete") {
			t.Errorf("exit %d, stderr %q; want 2, %s and a hint about the Zig SDK repository", r.code, r.stderr, want)
		}
	})
	t.Run("unknown name", func(t *testing.T) {
		d := filepath.Join(e.root, "bad")
		must(t, os.MkdirAll(d, 0o755))
		must(t, os.Symlink(e.launcher, filepath.Join(d, "gcc")))
		r := runCmd(t, e.root, env, "bad/gcc", "--version")
		if r.code != 2 || !strings.Contains(r.stderr, "cc, c++ or ar") {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
	})
}

// libMarker is a file every zig lib dir has (clang's builtin headers).
const libMarker = "include/stddef.h"

// findZig returns a zig executable and its lib dir, or skips the test.
func findZig(t *testing.T) (zig, lib string) {
	t.Helper()
	zig = os.Getenv(zigEnvVar)
	if zig == "" {
		p, err := exec.LookPath("zig")
		if err != nil {
			t.Skipf("no zig: set %s=/path/to/zig (Zig 0.11.0 SDK, lib dir next to it) or put zig on PATH to run the zig integration test", zigEnvVar)
		}
		zig = p
	}
	real, err := filepath.EvalSymlinks(zig)
	if err != nil {
		t.Fatalf("%s=%s: %v", zigEnvVar, zig, err)
	}
	lib = filepath.Join(filepath.Dir(real), "lib")
	if _, err := os.Stat(filepath.Join(lib, libMarker)); err != nil {
		t.Fatalf("zig %s has no lib dir next to it (%s): %v", zig, lib, err)
	}
	return real, lib
}

const helloC = `#include <stdio.h>
#include <string.h>
const char *built = __DATE__ " " __TIME__;
const char *file = __FILE__;
int hello_len(void) { return (int)strlen(built); }
`

const helloCC = `#include <string>
#include <vector>
int hello_cc(void) {
	std::vector<std::string> v{"a", "bc"};
	return (int)(v[0].size() + v[1].size());
}
`

const cgoMain = `package main

/*
#include <stdio.h>
#include <stdlib.h>
static int add(int a, int b) { return a + b; }
static void hello(void) { printf("hello from C\n"); fflush(stdout); }
*/
import "C"

import "fmt"

func main() {
	C.hello()
	fmt.Println("sum", C.add(2, 3))
}
`

func TestLauncherZig(t *testing.T) {
	zig, lib := findZig(t)
	e := newExecroot(t, "")
	t.Logf("zig %s, lib %s", zig, lib)
	e.addSDK("zig_sdk", zig, lib)
	musl := e.addTools("x86_64-linux-musl", e.cfg("x86_64-linux-musl", "amd64", "zig_sdk", ""))
	gnu := e.addTools("x86_64-linux-gnu.2.28", e.cfg("x86_64-linux-gnu.2.28", "amd64", "zig_sdk", ""))
	arm := e.addTools("aarch64-linux-musl", e.cfg("aarch64-linux-musl", "arm64", "zig_sdk", ""))
	must(t, os.MkdirAll(filepath.Join(e.root, "src"), 0o755))
	must(t, os.MkdirAll(filepath.Join(e.root, "bazel-out/obj"), 0o755))
	must(t, os.WriteFile(filepath.Join(e.root, "src/hello.c"), []byte(helloC), 0o644))
	must(t, os.WriteFile(filepath.Join(e.root, "src/hello.cc"), []byte(helloCC), 0o644))
	env := cleanEnv()

	ok := func(t *testing.T, r result) {
		t.Helper()
		if r.code != 0 {
			t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
		}
	}

	t.Run("version", func(t *testing.T) {
		r := runCmd(t, e.root, env, filepath.Join(musl, "cc"), "--version")
		ok(t, r)
		if !strings.Contains(r.stdout, "clang version") || !strings.Contains(r.stdout, "Target: x86_64-unknown-linux-musl") {
			t.Errorf("--version: %s", r.stdout)
		}
	})

	t.Run("preprocess stdin without -x", func(t *testing.T) {
		// zig 0.11 would hand this to clang unchanged and use host headers.
		r := runCmdIn(t, "#include <stdio.h>\n", e.root, env, filepath.Join(musl, "cc"), "-E", "-")
		ok(t, r)
		if strings.Contains(r.stdout+r.stderr, "/usr/include") || !strings.Contains(r.stdout, "external/zig_sdk/lib/libc/include/generic-musl/stdio.h") {
			t.Errorf("cc -E - did not use zig's musl headers by relative path:\n%.2000s\nstderr: %s", r.stdout, r.stderr)
		}
		r = runCmdIn(t, "", e.root, env, filepath.Join(musl, "cc"), "-E", "-dM", "-")
		ok(t, r)
		if !strings.Contains(r.stdout, "#define __x86_64__ 1") || !strings.Contains(r.stdout, "#define __DATE__ \"redacted\"") {
			t.Errorf("cc -E -dM -: %.2000s", r.stdout)
		}
	})

	t.Run("compile C in execroot", func(t *testing.T) {
		r := runCmd(t, e.root, env, filepath.Join(musl, "cc"), "-g", "-O1", "-c", "-MD", "-MF", "bazel-out/obj/hello.d",
			"-o", "bazel-out/obj/hello.o", "src/hello.c", "-target", "aarch64-linux-gnu")
		ok(t, r)
		f := openELF(t, filepath.Join(e.root, "bazel-out/obj/hello.o"))
		if f.Machine != elf.EM_X86_64 || f.Type != elf.ET_REL {
			t.Errorf("hello.o: %v %v; want EM_X86_64 ET_REL (the cfg target wins over the caller's)", f.Machine, f.Type)
		}
		dep, err := os.ReadFile(filepath.Join(e.root, "bazel-out/obj/hello.d"))
		must(t, err)
		for _, w := range strings.Fields(string(dep)) {
			if strings.HasPrefix(w, "/") {
				t.Errorf("hello.d has an absolute path %q (Bazel rejects those):\n%s", w, dep)
			}
		}
		if !strings.Contains(string(dep), "external/zig_sdk/lib/") {
			t.Errorf("hello.d does not list zig's libc headers by execroot-relative path:\n%s", dep)
		}
		obj, err := os.ReadFile(filepath.Join(e.root, "bazel-out/obj/hello.o"))
		must(t, err)
		if !bytes.Contains(obj, []byte("redacted redacted")) {
			t.Error("hello.o: __DATE__ __TIME__ not redacted")
		}
		if bytes.Contains(obj, []byte(e.root)) {
			t.Errorf("hello.o contains the absolute execroot %s", e.root)
		}
		if cd := compDir(t, f); cd != "." {
			t.Errorf("DW_AT_comp_dir = %q; want \".\"", cd)
		}
	})

	t.Run("concurrent compiles share a new cache dir when one is asked for", func(t *testing.T) {
		fresh := filepath.Join(t.TempDir(), "new", "zig-cache")
		cenv := cleanEnv(cacheEnv + "=" + fresh)
		t.Run("group", func(t *testing.T) {
			for i := range 4 {
				t.Run(fmt.Sprint(i), func(t *testing.T) {
					t.Parallel()
					ok(t, runCmd(t, e.root, cenv, filepath.Join(musl, "cc"), "-c", "-o", fmt.Sprintf("bazel-out/obj/par%d.o", i), "src/hello.c"))
				})
			}
		})
		if fi, err := os.Stat(fresh); err != nil || !fi.IsDir() {
			t.Errorf("cache %s not created: %v", fresh, err)
		}
	})

	t.Run("compile C++", func(t *testing.T) {
		r := runCmd(t, e.root, env, filepath.Join(musl, "c++"), "-std=c++17", "-O1", "-c", "-o", "bazel-out/obj/hello_cc.o", "src/hello.cc")
		ok(t, r)
		if f := openELF(t, filepath.Join(e.root, "bazel-out/obj/hello_cc.o")); f.Machine != elf.EM_X86_64 {
			t.Errorf("hello_cc.o machine %v", f.Machine)
		}
	})

	t.Run("ar", func(t *testing.T) {
		r := runCmd(t, e.root, env, filepath.Join(musl, "ar"), "rcsD", "bazel-out/obj/libhello.a", "bazel-out/obj/hello.o", "bazel-out/obj/hello_cc.o")
		ok(t, r)
		r = runCmd(t, e.root, env, filepath.Join(musl, "ar"), "t", "bazel-out/obj/libhello.a")
		ok(t, r)
		if got := strings.Fields(r.stdout); strings.Join(got, " ") != "hello.o hello_cc.o" {
			t.Errorf("ar t: %q", got)
		}
		data, err := os.ReadFile(filepath.Join(e.root, "bazel-out/obj/libhello.a"))
		must(t, err)
		if !bytes.HasPrefix(data, []byte("!<arch>\n")) {
			t.Errorf("libhello.a is not an ar archive")
		}
		// D: the first member header's mtime field (bytes 16..28) is 0.
		if len(data) < 8+60 || strings.TrimSpace(string(data[8+16:8+28])) != "0" {
			t.Errorf("libhello.a is not deterministic (D): header %q", data[8:min(len(data), 8+60)])
		}
	})

	t.Run("aarch64 object", func(t *testing.T) {
		r := runCmd(t, e.root, env, filepath.Join(arm, "cc"), "-c", "-o", "bazel-out/obj/hello_arm64.o", "src/hello.c")
		ok(t, r)
		if f := openELF(t, filepath.Join(e.root, "bazel-out/obj/hello_arm64.o")); f.Machine != elf.EM_AARCH64 {
			t.Errorf("hello_arm64.o machine %v; want EM_AARCH64", f.Machine)
		}
	})

	t.Run("static glibc link fails", func(t *testing.T) {
		r := runCmd(t, e.root, env, filepath.Join(gnu, "cc"), "-static", "-o", "bazel-out/obj/hello", "src/hello.c")
		want := "rules_go_cross: -static is not possible with glibc target x86_64-linux-gnu.2.28: glibc binaries are dynamic; use a musl platform (linux_amd64_musl) for a static binary"
		if r.code != 1 || !strings.Contains(r.stderr, want) {
			t.Errorf("exit %d, stderr %q; want exit 1 and %q", r.code, r.stderr, want)
		}
	})

	// Links (the C runtime, cgo from Go's temp dirs) are tested where the toolchain really runs
	// them, with the runtime Bazel prebuilds: //tests/cgo, //tests/zig and the image tests.
}

func openELF(t *testing.T, path string) *elf.File {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// interpreter returns the PT_INTERP of f, "" when there is none.
func interpreter(t *testing.T, f *elf.File) string {
	t.Helper()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			b := make([]byte, p.Filesz)
			if _, err := p.ReadAt(b, 0); err != nil {
				t.Fatal(err)
			}
			return strings.TrimRight(string(b), "\x00")
		}
	}
	return ""
}

// compDir returns DW_AT_comp_dir of the first compile unit of f.
func compDir(t *testing.T, f *elf.File) string {
	t.Helper()
	d, err := f.DWARF()
	if err != nil {
		t.Fatalf("DWARF: %v", err)
	}
	r := d.Reader()
	for {
		ent, err := r.Next()
		if err != nil || ent == nil {
			t.Fatalf("no compile unit: %v", err)
		}
		if ent.Tag == dwarf.TagCompileUnit {
			s, _ := ent.Val(dwarf.AttrCompDir).(string)
			return s
		}
	}
}
