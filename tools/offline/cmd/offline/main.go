// Command offline is rules_go_cross's tools/bazel, the Bazel entry point (bazelisk honours
// that path too). tools/bazel is a launcher that builds this program (once, and again when
// its sources change) and runs it with tools/bazel's path as argv[0].
//
// When a Bazel >= 7.1 is already provided (bazelisk sets BAZEL_REAL), it runs it unchanged.
// Otherwise it provisions, once, an offline Bazel 7.7.1 environment and runs Bazel inside it:
//
//   - a Debian "forky" root file system (debootstrap) holding bazel-bootstrap 7.7.1 and the
//     Bazel modules Debian packages (platforms, rules_cc, bazel_skylib, ...);
//   - rules_go and gazelle source trees from the Go module proxy;
//   - a generated bazelrc (--override_module lines for the above and for the offline shims in
//     tools/offline/shims) that works for any workspace depending on rules_go_cross, and one
//     that makes Java actions (stardoc's renderer) use the root's JDK and Debian's java_tools.
//
// Bazel runs in a private mount namespace, chrooted into that root, with the workspace, this
// repository, the caches, /tmp and the paths given to --disk_cache, --repository_cache,
// --execution_log_*_file, --profile, --build_event_*_file and --explain bind-mounted at their
// host paths, so bazel-bin, bazel-out, those files and every path Bazel prints resolve on the
// host too.
//
// Environment:
//
//	RULES_GO_CROSS_CACHE          cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/rules_go_cross)
//	RULES_GO_CROSS_MOUNTS         extra host directories (colon-separated) to make visible to Bazel
//	RULES_GO_CROSS_QUIET          set to 1 to silence provisioning progress lines
//	RULES_GO_CROSS_DEBIAN_MIRROR  Debian mirror for the root (default http://deb.debian.org/debian)
//	RULES_GO_CROSS_SEALED_TMP     set to 1 to run Bazel (and so every action) with an empty,
//	                              read-only /tmp; actions get $TMPDIR (set it to a writable
//	                              directory outside /tmp). Proves that no action depends on, or
//	                              writes to, the host's /tmp. Keep one workspace in one mode.
//
// One package per job: bazelversion (the BAZEL_REAL check), layout (the cache's files and
// lock), provision (debootstrap, once), packages (the root's package list and its top-up),
// bazelrc (the generated files), holder (the namespace and its mounts), flags (what Bazel's
// command line names: workspace, mounts, platforms), platforms (the platform names), launch
// (the nsenter command line and environment). A warm call starts no process before the final
// exec: it reads a few files, stats the mounts through /proc/PID/root, and execs nsenter.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/rules-go-cross/rules_go_cross/tools/offline/bazelrc"
	"github.com/rules-go-cross/rules_go_cross/tools/offline/bazelversion"
	"github.com/rules-go-cross/rules_go_cross/tools/offline/flags"
	"github.com/rules-go-cross/rules_go_cross/tools/offline/holder"
	"github.com/rules-go-cross/rules_go_cross/tools/offline/launch"
	"github.com/rules-go-cross/rules_go_cross/tools/offline/layout"
	"github.com/rules-go-cross/rules_go_cross/tools/offline/packages"
	"github.com/rules-go-cross/rules_go_cross/tools/offline/platforms"
	"github.com/rules-go-cross/rules_go_cross/tools/offline/provision"
)

func main() {
	err := run(os.Args[0], os.Args[1:])
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		// A mount that failed in the namespace has said why on stderr.
		os.Exit(exit.ExitCode())
	}
	fmt.Fprintf(os.Stderr, "tools/bazel: error: %v\n", err)
	os.Exit(1)
}

func progress(s string) {
	if os.Getenv("RULES_GO_CROSS_QUIET") != "1" {
		fmt.Fprintf(os.Stderr, "tools/bazel: %s\n", s)
	}
}

// execve replaces this process with path (looked up in PATH when it has no slash).
func execve(path string, argv, env []string) error {
	p, err := exec.LookPath(path)
	if err != nil {
		return err
	}
	return syscall.Exec(p, argv, env)
}

// run returns only on failure: it ends by exec'ing Bazel.
func run(self string, args []string) error {
	// 1. A real Bazel was handed to us.
	if real := os.Getenv("BAZEL_REAL"); real != "" && syscall.Access(real, 1 /* X_OK */) == nil && bazelversion.AtLeast71(real) {
		return execve(real, append([]string{real}, args...), os.Environ())
	}

	selfDir, err := filepath.Abs(filepath.Dir(self))
	if err != nil {
		return err
	}
	if selfDir, err = filepath.EvalSymlinks(selfDir); err != nil {
		return err
	}
	rgcRoot := filepath.Dir(selfDir) // the rules_go_cross checkout holding tools/bazel
	l := layout.New(os.Getenv)
	sealed := os.Getenv("RULES_GO_CROSS_SEALED_TMP") == "1"
	pwd, err := os.Getwd()
	if err != nil {
		return err
	}

	ws := flags.WorkspaceRoot(pwd)
	if err := flags.CheckPlatforms(ws, rgcRoot, args, func() []string { return platforms.Names(rgcRoot) }); err != nil {
		return err
	}
	// The slow checks and provisioning only when not root (they say why that fails) or when the
	// namespace holder is not running yet.
	pid, running := "", false
	if os.Geteuid() == 0 {
		pid, running = holder.PID(l.Cache, l.Root, holder.Name(sealed))
	}
	if !running {
		if err := provision.CheckPreconditions(); err != nil {
			return err
		}
		mirror := os.Getenv("RULES_GO_CROSS_DEBIAN_MIRROR")
		if mirror == "" {
			mirror = provision.DefaultMirror
		}
		if err := provision.Ensure(provision.Options{Layout: l, Mirror: mirror, Progress: progress}); err != nil {
			return err
		}
	}
	if err := packages.Ensure(l, progress); err != nil {
		return err
	}
	if err := bazelrc.Write(bazelrc.Discover(l, selfDir)); err != nil {
		return err
	}
	for _, d := range []string{l.OutputUserRoot, l.Cache + "/repository-cache", l.Cache + "/disk-cache"} {
		if err := os.MkdirAll(d, 0o777); err != nil {
			return err
		}
	}
	if !running {
		if pid, err = holder.Start(l.Cache, l.Root, sealed); err != nil {
			return err
		}
	}

	dirs := []string{l.Cache, rgcRoot, ws, pwd}
	tmpdir := os.Getenv("TMPDIR")
	if !sealed {
		dirs = append(dirs, "/tmp")
	} else {
		if err := checkSealed(ws, rgcRoot, tmpdir); err != nil {
			return err
		}
		if err := os.MkdirAll(tmpdir, 0o777); err != nil {
			return err
		}
		dirs = append(dirs, tmpdir)
	}
	// Paths that Bazel's own flags name (disk cache, execution log, profile, build event files)
	// must be the host's, not the root's: mount them too.
	for _, d := range flags.OutputDirs(args) {
		if os.MkdirAll(d, 0o777) == nil {
			dirs = append(dirs, d)
		}
	}
	dirs = append(dirs, flags.Mounts(os.Getenv("RULES_GO_CROSS_MOUNTS"))...)
	if err := holder.EnsureMounted(pid, l.Root, holder.Order(dirs, realpath)); err != nil {
		return err
	}

	startup := launch.Startup(l, launch.IsRulesGoCross(ws), sealed, tmpdir)
	argv := launch.Argv(pid, pwd, launch.Env(os.Environ(), l, sealed), startup, args)
	if err := execve(argv[0], argv, os.Environ()); err != nil {
		return fmt.Errorf("could not run %s: %v (install util-linux)", argv[0], err)
	}
	return nil
}

// checkSealed says what the sealed-/tmp mode cannot work with: a workspace or a tools/bazel
// under /tmp (hidden there), or no TMPDIR outside /tmp for the actions.
func checkSealed(ws, rgcRoot, tmpdir string) error {
	if strings.HasPrefix(ws+"/", "/tmp/") {
		return fmt.Errorf("RULES_GO_CROSS_SEALED_TMP=1: the workspace %s is under /tmp, which this mode hides; put it elsewhere (e.g. /var/tmp)", ws)
	}
	if strings.HasPrefix(rgcRoot+"/", "/tmp/") {
		return fmt.Errorf("RULES_GO_CROSS_SEALED_TMP=1: this tools/bazel is in %s, under /tmp, which this mode hides; run the tools/bazel of a rules_go_cross outside /tmp (e.g. a clone in /var/tmp)", rgcRoot)
	}
	if tmpdir == "" || strings.HasPrefix(tmpdir+"/", "/tmp/") {
		return errors.New("RULES_GO_CROSS_SEALED_TMP=1: set TMPDIR to a writable directory outside /tmp (actions get it; /tmp is empty and read-only)")
	}
	return nil
}

// realpath is realpath -e: the absolute path without symlinks of an existing file.
func realpath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}
