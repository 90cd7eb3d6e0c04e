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
// The launcher replaces itself with zig (execve), so exit status and signals
// pass through unchanged. Exit status 2: bad setup (config, missing Zig SDK);
// 1: an invocation the launcher refuses (-static with a glibc target).
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
)

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}

// hostEnvDrop are environment variables through which clang (and so zig cc)
// would read headers, libraries or programs of the host. The toolchain uses
// nothing from the host but the kernel.
var hostEnvDrop = []string{
	"CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH",
	"OBJCPLUS_INCLUDE_PATH", "LIBRARY_PATH", "COMPILER_PATH",
}

// run does everything but exec when it returns; it returns the exit status.
func run(argv []string, stdout, stderr *os.File) int {
	fail := func(code int, format string, a ...any) int {
		msg := fmt.Sprintf(format, a...)
		if !strings.HasPrefix(msg, "rules_go_cross:") {
			msg = "rules_go_cross: " + msg
		}
		fmt.Fprintln(stderr, msg)
		return code
	}
	if len(argv) == 0 {
		return fail(2, "launcher: no argv[0]")
	}
	m, ok := modeFromArgv0(argv[0])
	if !ok {
		return fail(2, "launcher invoked as %q: the name (basename of argv[0]) must be cc, c++ or ar (or zig-cc, zig-c++, zig-ar)", argv[0])
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
	if fi, err := os.Stat(l.Lib); err != nil || !fi.IsDir() {
		return fail(2, "zig lib dir not found at %s (lib=%s in %s, execroot %s): the Zig SDK repository may be incomplete (re-fetch it, or check the lib= path)",
			l.Lib, cfg.Lib, cfgFile, l.Execroot)
	}

	cache := cacheDirFor(cfg, l, cwd, os.Getenv)
	// Several launchers may create it at once: MkdirAll tolerates that, and
	// zig serializes access to cache entries with file locks.
	if err := os.MkdirAll(cache, 0o777); err != nil {
		return fail(2, "cannot create the zig cache dir %s (cache= in %s or $%s): %v", cache, cfgFile, cacheEnv, err)
	}

	args := argv[1:]
	expanded := false
	if m != modeAR {
		args, expanded, err = expandResponseFiles(args, os.ReadFile)
		if err != nil {
			return fail(2, "%v", err)
		}
	}
	o, err := rewrite(request{Mode: m, Target: cfg.Target, Execroot: l.Execroot, Lib: l.Lib}, args)
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
	zigArgs := o.Args
	if expanded {
		if zigArgs, err = shortenCommandLine(zigArgs, cache); err != nil {
			return fail(2, "cannot write a response file under %s: %v", cache, err)
		}
	}

	env := zigEnv(os.Environ(), l.Lib, cache)
	err = syscall.Exec(l.Zig, append([]string{l.Zig}, zigArgs...), env)
	return fail(2, "cannot run %s: %v", l.Zig, err)
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
