// Command launcher runs `zig cc`, `zig c++` or `zig ar` of a hermetic Zig SDK
// for one target. It is the C compiler, C++ compiler, linker and archiver of
// the rules_go_cross cc toolchains, reached through symlinks named after the
// tool, next to a launcher.cfg written by a Bazel rule:
//
//	<dir>/cc   -> launcher   (zig cc)
//	<dir>/c++  -> launcher   (zig c++)
//	<dir>/ar   -> launcher   (zig ar)
//	<dir>/launcher.cfg
//
// The mode comes from the basename of os.Args[0] (cc, c++, ar, zig-cc,
// zig-c++, zig-ar) and launcher.cfg from the directory of os.Args[0], which is
// never resolved through symlinks: in Bazel's sandbox the symlink points into
// another tree. See config.go for the config format and args.go for the
// command line rewrites.
//
// Every invocation gets a fresh zig cache in a temporary directory, removed
// afterwards; links seed it with the target's prebuilt C runtime (libc, crt
// files, compiler-rt, libc++), an ordinary Bazel output built by
// `launcher runtime` (runtime.go). So no action reads or writes anything but
// its inputs, its outputs and its own temporary directory, and Zig's libc is
// built once per target, by an action the disk and remote caches serve.
//
// `launcher runtime ...` (the executable under its own name) builds that
// runtime; see runtime.go.
//
// Exit status: zig's; 2: bad setup (config, missing Zig SDK); 1: an
// invocation the launcher refuses (-static with a glibc target).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "runtime" {
		os.Exit(runRuntime(os.Args[2:], os.Stderr))
	}
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}

// hostEnvDrop are environment variables through which clang (and so zig cc)
// would read headers, libraries or programs of the host. The toolchain uses
// nothing from the host but the kernel.
var hostEnvDrop = []string{
	"CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH",
	"OBJCPLUS_INCLUDE_PATH", "LIBRARY_PATH", "COMPILER_PATH",
	// clang reads command line edits from it; only `launcher runtime` sets it.
	"CCC_OVERRIDE_OPTIONS",
}

// failer prints rules_go_cross errors and returns an exit status.
func failer(stderr io.Writer) func(code int, format string, a ...any) int {
	return func(code int, format string, a ...any) int {
		msg := fmt.Sprintf(format, a...)
		if !strings.HasPrefix(msg, "rules_go_cross:") {
			msg = "rules_go_cross: " + msg
		}
		fmt.Fprintln(stderr, msg)
		return code
	}
}

// run does one cc/c++/ar invocation; it returns the exit status.
func run(argv []string, stdout, stderr *os.File) int {
	fail := failer(stderr)
	if len(argv) == 0 {
		return fail(2, "launcher: no argv[0]")
	}
	m, ok := modeFromArgv0(argv[0])
	if !ok {
		return fail(2, "launcher invoked as %q: the name (basename of argv[0]) must be cc, c++ or ar (or zig-cc, zig-c++, zig-ar), or the first argument must be \"runtime\"", argv[0])
	}
	cwd, err := os.Getwd()
	if err != nil {
		return fail(2, "launcher: cannot get the working directory: %v", err)
	}
	dir := toolDir(argv[0], cwd, exec.LookPath)
	cfg, cfgFile, err := loadConfig(dir)
	if err != nil {
		return fail(2, "%v", err)
	}
	l := resolveLayout(cfg, dir, cwd, sameDir)

	if fi, err := os.Stat(l.Zig); err != nil || fi.IsDir() {
		return fail(2, "zig executable not found at %s (zig=%s in %s, execroot %s): the Zig SDK repository may be incomplete (re-fetch it, or check the zig= path)",
			l.Zig, cfg.Zig, cfgFile, l.Execroot)
	}
	if fi, err := os.Stat(l.absLib()); err != nil || !fi.IsDir() {
		return fail(2, "zig lib dir not found at %s (lib=%s in %s, execroot %s): the Zig SDK repository may be incomplete (re-fetch it, or check the lib= path)",
			l.absLib(), cfg.Lib, cfgFile, l.Execroot)
	}

	args := argv[1:]
	expanded := false
	if m != modeAR {
		args, expanded, err = expandResponseFiles(args, os.ReadFile)
		if err != nil {
			return fail(2, "%v", err)
		}
	}
	if m != modeAR {
		args = allowUnresolved(args)
	}
	link := m != modeAR && isLink(args)
	if m == modeCC && !link && compilesCXX(args) {
		m = modeCXX
	}
	lib := l.zigLib(link)
	o, err := rewrite(request{Mode: m, Target: cfg.Target, GOARCH: cfg.GOARCH, Execroot: l.Execroot, Lib: lib, AbsLib: l.absLib()}, args)
	if err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			return fail(1, "%v", err)
		}
		return fail(2, "%v", err)
	}
	if o.Answered {
		fmt.Fprint(stdout, o.Answer)
		return 0
	}
	if lib != l.Lib && !filepath.IsAbs(l.Lib) {
		if err := anchor(l, cwd); err != nil {
			return fail(2, "%v", err)
		}
	}

	// Opt-in shared cache (outside Bazel): zig as before, nothing to clean.
	if shared := sharedCacheDir(cfg, l, cwd, os.Getenv); shared != "" {
		// Several launchers may create it at once: MkdirAll tolerates that,
		// and zig serializes access to cache entries with file locks.
		if err := os.MkdirAll(shared, 0o777); err != nil {
			return fail(2, "cannot create the zig cache dir %s (cache= in %s or $%s): %v", shared, cfgFile, cacheEnv, err)
		}
		zigArgs, err := shortenIfExpanded(o.Args, expanded, shared)
		if err != nil {
			return fail(2, "cannot write a response file under %s: %v", shared, err)
		}
		return runZig(l.Zig, zigArgs, zigEnv(os.Environ(), lib, shared), o.Strip, stderr)
	}

	cache, err := newInvocationCache(runtimeDirsIf(link, cfg, l)...)
	if err != nil {
		return fail(2, "%v", err)
	}
	defer cache.remove()
	zigArgs, err := shortenIfExpanded(o.Args, expanded, cache.dir)
	if err != nil {
		return fail(2, "cannot write a response file under %s: %v", cache.dir, err)
	}
	code := runZig(l.Zig, zigArgs, zigEnv(os.Environ(), lib, cache.dir), o.Strip, stderr)
	if code == 0 && link {
		if built := cache.builtRuntimePieces(); len(built) > 0 {
			fmt.Fprintf(stderr, "rules_go_cross: warning: zig built %s for %s inside this link: its flags (%s) need C runtime pieces that the prebuilt runtime (%s) does not have. The output is correct, but every such link rebuilds them (minutes); please report the flags to rules_go_cross.\n",
				strings.Join(built, ", "), cfg.Target, strings.Join(linkFlags(args), " "), orNone(cfg.Runtime))
		}
	}
	return code
}

func runtimeDirsIf(link bool, cfg *config, l layout) []string {
	if !link {
		return nil
	}
	return runtimeDirs(cfg, l)
}

func orNone(s string) string {
	if s == "" {
		return "none in launcher.cfg"
	}
	return s
}

func shortenIfExpanded(zigArgs []string, expanded bool, dir string) ([]string, error) {
	if !expanded {
		return zigArgs, nil
	}
	return shortenCommandLine(zigArgs, dir)
}

// runZig runs zig with args (which start with the subcommand) as a child,
// with signals forwarded, then applies the strip the link asked for; it
// returns the exit status (128+N for a child killed by signal N).
func runZig(zig string, args, env []string, strip stripRequest, stderr io.Writer) int {
	cmd := exec.Command(zig, args...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, stderr
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return failer(stderr)(2, "cannot run %s: %v", zig, err)
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				cmd.Process.Signal(s)
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				return 128 + int(ws.Signal())
			}
			return ee.ExitCode()
		}
		return failer(stderr)(2, "running %s: %v", zig, err)
	}
	if strip.Mode != stripNone {
		if err := applyStrip(zig, env, strip); err != nil {
			return failer(stderr)(2, "%v", err)
		}
	}
	return 0
}

// zigEnv returns environ with the zig lib and cache dirs set and the host
// search path variables removed.
func zigEnv(environ []string, lib, cache string) []string {
	set := map[string]string{
		"ZIG_LIB_DIR":          lib,
		"ZIG_GLOBAL_CACHE_DIR": cache,
		"ZIG_LOCAL_CACHE_DIR":  cache,
	}
	drop := map[string]bool{}
	for _, k := range hostEnvDrop {
		drop[k] = true
	}
	out := make([]string, 0, len(environ)+len(set))
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := set[k]; ok || drop[k] {
			continue
		}
		out = append(out, kv)
	}
	for _, k := range []string{"ZIG_LIB_DIR", "ZIG_GLOBAL_CACHE_DIR", "ZIG_LOCAL_CACHE_DIR"} {
		out = append(out, k+"="+set[k])
	}
	return out
}
