package main

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// mode is what the launcher acts as, from the basename of os.Args[0].
type mode int

const (
	modeCC  mode = iota + 1 // zig cc
	modeCXX                 // zig c++
	modeAR                  // zig ar
)

// subcommand is the zig subcommand for the mode.
func (m mode) subcommand() string {
	switch m {
	case modeCC:
		return "cc"
	case modeCXX:
		return "c++"
	case modeAR:
		return "ar"
	}
	return ""
}

func modeFromArgv0(argv0 string) (mode, bool) {
	switch filepath.Base(argv0) {
	case "cc", "zig-cc":
		return modeCC, true
	case "c++", "zig-c++":
		return modeCXX, true
	case "ar", "zig-ar":
		return modeAR, true
	}
	return 0, false
}

// unresolvedIgnoreAll is what rules_go's cgo step adds when the link of
// _cgo_.o (an executable made only for `cgo -dynimport` to read) fails on
// symbols that other packages or the C++ runtime define later. zig 0.11's
// linker has no such option; a shared object, where undefined symbols are
// allowed, serves the same purpose: with external linking, which every cgo
// link of rules_go_cross uses, Go's linker ignores what dynimport reports.
const unresolvedIgnoreAll = "-Wl,--unresolved-symbols=ignore-all"

// allowUnresolved rewrites a link that asks for unresolvedIgnoreAll into a
// -shared link; other command lines are returned as they are.
func allowUnresolved(args []string) []string {
	if !slices.Contains(args, unresolvedIgnoreAll) {
		return args
	}
	out := make([]string, 0, len(args)+1)
	for _, a := range args {
		switch a {
		case unresolvedIgnoreAll, "-static", "-static-pie", "-pie", "-no-pie":
			continue
		}
		out = append(out, a)
	}
	return append(out, "-shared")
}

// compilesCXX reports whether a cc command line compiles C++: a source with a
// C++ extension, or -x c++. rules_go compiles a cgo package's .cc/.cpp files
// with CC (the cc tool), and only `zig c++` gives clang libc++'s headers.
func compilesCXX(args []string) bool {
	takesValue := map[string]bool{
		"-o": true, "-MF": true, "-MT": true, "-MQ": true, "-include": true, "-imacros": true,
		"-I": true, "-isystem": true, "-iquote": true, "-idirafter": true, "-Xclang": true,
		"-Xlinker": true, "-target": true, "-L": true, "-l": true, "-u": true, "-z": true,
	}
	lang := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-x" && i+1 < len(args):
			lang = args[i+1]
			i++
		case strings.HasPrefix(a, "-x") && len(a) > 2:
			lang = a[2:]
		case takesValue[a]:
			i++
		case strings.HasPrefix(a, "-") && a != "-": // "-" is standard input, a source
		default:
			if lang != "" && lang != "none" {
				if strings.HasPrefix(lang, "c++") {
					return true
				}
				continue
			}
			switch filepath.Ext(a) {
			case ".cc", ".cp", ".cpp", ".cxx", ".c++", ".C", ".CPP", ".CC":
				return true
			}
		}
	}
	return false
}

// A rule rewrites or drops one caller-provided flag of a `zig cc`/`zig c++`
// command line. Rules are tried in order; the first match wins.
type rule struct {
	// flag is matched exactly, or as a prefix of the argument when prefix is
	// set.
	flag   string
	prefix bool
	// value: the flag takes the next argument as its value ("-u SYM"); only
	// for exact matches. A trailing flag with its value missing is dropped
	// by a dropping rule and kept (for zig to report) by a rewriting one.
	value bool
	// to returns the replacement of arg (and val, for value flags); nil
	// means the rule drops them.
	to func(arg, val string) []string
	// why says which caller passes the flag and why it is changed. It is
	// documentation, kept in the table so that a test can insist on it.
	why string
}

// targetWhy is shared by the rules that drop caller-chosen targets.
const targetWhy = "Callers bring their own target triple: CMake " +
	"(CMAKE_<LANG>_COMPILER_TARGET becomes --target=), Rust's cc crate " +
	"(--target=), CC/CGO_CFLAGS/-extldflags set for `zig cc -target ...`, and " +
	"user copts/linkopts. The triple of launcher.cfg is the one Bazel selected " +
	"for the platform and must win (zig takes the last -target, clang would " +
	"too, but a dropped duplicate cannot confuse anyone), so caller targets " +
	"are dropped and `-target <cfg target>` is appended last."

// rules is the table of flag rewrites for cc and c++. Each entry was checked
// against zig 0.11.0 (see the `why`); flags Go 1.26's cgo and
// `go tool link -linkmode=external` pass that zig accepts as they are
// (-m64, -pthread, -fPIC, -Qunused-arguments, -Wl,--no-gc-sections,
// -ffile-prefix-map=, -gno-record-gcc-switches, -frandom-seed=, -rdynamic,
// -no-pie, -pie, -Wl,--build-id=0x..., -Wl,--compress-debug-sections=zlib,
// -Wl,-z,relro, -Wl,-z,now, -Wl,-z,nocopyreloc, -s, -Wl,-S, -static,
// -lpthread, -E -dM, -x c -, -o /dev/null, -Wl,--version, ...) are not
// listed. Note that -s and -Wl,-S (go -ldflags=-s/-w, Bazel --strip) make zig
// build and cache a second, stripped copy of libc and compiler-rt.
//
// Not in the table because they are not one-flag rewrites: -static with a
// glibc target (rewrite fails), "-" without -x (stdinLanguage) and the
// -print-libgcc-file-name/-print-file-name= queries (answerQuery).
//
// Deliberately NOT rewritten: -Wl,--export-dynamic-symbol=SYM. zig 0.11
// rejects it ("unsupported linker arg"), and that rejection is what makes Go's
// linker probe (linkerFlagSupported) fall back to -rdynamic, which zig
// supports. Dropping it instead would make the probe succeed and then
// silently lose the //export symbols Go asks to export.
var rules = []rule{
	{flag: "-target", value: true, why: targetWhy},
	{flag: "--target", value: true, why: targetWhy},
	{flag: "--target=", prefix: true, why: targetWhy},
	{flag: "-target=", prefix: true, why: targetWhy},
	{
		flag:  "-u",
		value: true,
		to:    func(_, sym string) []string { return []string{"-Wl,-u," + sym} },
		why: "GCC driver syntax `-u SYM` (force SYM undefined so that it is pulled " +
			"from a static archive) comes from Bazel linkopts and CMake/autotools " +
			"projects; Go 1.26's linker does not pass it. zig 0.11's driver takes " +
			"the separate SYM for an input file (`ld.lld: error: cannot open SYM`), " +
			"so it is passed to the linker as -Wl,-u,SYM, which works.",
	},
	{
		flag:   "-fuse-ld=",
		prefix: true,
		why: "Go's linker passes -fuse-ld=gold on linux/arm64 when the external " +
			"linker reports GNU ld <= 2.35 and -fuse-ld=lld for android; Bazel's " +
			"auto-configured unix toolchain and user linkopts pass -fuse-ld=gold/lld. " +
			"zig always links with its bundled lld, ignores the flag and warns " +
			"`argument unused during compilation: '-fuse-ld=gold'`, which fails " +
			"builds that use -Werror.",
	},
	{
		flag: "-march=native",
		why: "Makefiles, CMake options (e.g. GGML_NATIVE) and `#cgo CFLAGS` pass " +
			"it; zig accepts it and tunes code for the CPU of the build machine, " +
			"which makes outputs depend on the executor (bad for remote caching) " +
			"and may crash on the target; the cfg target's baseline CPU is kept.",
	},
	{flag: "-mcpu=native", why: "Same as -march=native (GCC/clang spelling used for aarch64 and by some Makefiles): host-dependent code generation."},
	{flag: "-mtune=native", why: "Same as -march=native: host-dependent code generation."},
	{
		flag: "-fno-canonical-system-headers",
		why: "GCC-only option that Bazel's auto-configured GCC toolchain " +
			"(unix_cc_configure) adds and that projects copy into --copt; zig 0.11 " +
			"fails with `error: Unknown Clang option: '-fno-canonical-system-headers'`. " +
			"clang never canonicalizes header paths in .d files, so dropping it " +
			"keeps its intent.",
	},
	{
		flag: "-Wl,--gdb-index",
		why: "Bazel's fission_support feature (unix_cc_toolchain_config, " +
			"legacy features) passes it when linking with --fission, and CMake " +
			"projects add it to Debug link flags; zig 0.11 fails with `error: " +
			"unsupported linker arg: --gdb-index`. It only adds a lookup index " +
			"for gdb, so the binary is correct without it.",
	},
}

// staticFlags make a link fully static. zig cannot link glibc statically:
// for a gnu target it silently produces a dynamic executable instead, so the
// launcher fails the link (musl targets link static(-pie) anyway).
var staticFlags = map[string]bool{"-static": true, "--static": true, "-static-pie": true}

// reproFlags make compiles reproducible: no build date/time in the output.
var reproFlags = []string{
	"-Wno-builtin-macro-redefined",
	`-D__DATE__="redacted"`,
	`-D__TIMESTAMP__="redacted"`,
	`-D__TIME__="redacted"`,
}

// request is one cc/c++/ar invocation to rewrite.
type request struct {
	Mode   mode
	Target string
	// GOARCH is the Go architecture of Target, for messages; may be empty.
	GOARCH string
	// Execroot is the absolute execroot; it is mapped to "." in debug info
	// and __FILE__.
	Execroot string
	// Lib is zig's lib dir as passed to zig.
	Lib string
	// AbsLib is zig's lib dir as an absolute path (for -print-file-name=include,
	// whose answer the caller may use from another directory).
	AbsLib string
}

// muslPlatform names the musl platform of goarch, or says "a musl
// platform" when the config does not give the GOARCH.
func muslPlatform(goarch string) string {
	if goarch == "" {
		return "a musl platform"
	}
	return "a musl platform (linux_" + goarch + "_musl)"
}

// outcome is what the launcher does for a request: exec zig with Args (which
// start with the zig subcommand), or print Answer and exit 0.
type outcome struct {
	Args     []string
	Answered bool
	Answer   string
	// Strip is the strip the link asked for, done after zig links (see
	// canonicalLink).
	Strip stripRequest
}

// usageError is an invocation the launcher refuses (exit status 1).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// rewrite computes the zig command line for a request. args must already have
// had their response files expanded (see expandResponseFiles).
func rewrite(req request, args []string) (outcome, error) {
	sub := req.Mode.subcommand()
	if req.Mode == modeAR {
		// zig ar is llvm-ar: Bazel's `rcsD out.a objs...` (D = deterministic,
		// zero timestamps/uids) and @params files work unchanged with zig 0.11.
		return outcome{Args: append([]string{sub}, args...)}, nil
	}
	if answer, ok := answerQuery(args, req.AbsLib); ok {
		return outcome{Answered: true, Answer: answer}, nil
	}
	if isGlibcTarget(req.Target) && isLink(args) {
		for _, a := range args {
			if staticFlags[a] {
				return outcome{}, &usageError{fmt.Sprintf(
					"rules_go_cross: %s is not possible with glibc target %s: glibc binaries are dynamic; use %s for a static binary",
					a, req.Target, muslPlatform(req.GOARCH))}
			}
		}
	}

	out := []string{sub,
		// zig enables UBSan (trapping, no runtime) for C/C++ in debug builds;
		// C code with benign UB then dies with SIGILL. Prepended so that a
		// caller's explicit -fsanitize=undefined still wins.
		"-fno-sanitize=undefined",
	}
	if isCompile(args) {
		out = append(out, reproFlags...)
		// DW_AT_comp_dir, __FILE__ and debug paths: map the (sandbox)
		// execroot to "." whether or not it is the working directory. First,
		// so that more specific maps from the caller (Go's $WORK map) win:
		// clang applies the last matching map.
		out = append(out, "-ffile-prefix-map="+req.Execroot+"=.")
	}
	args = applyRules(args)
	var strip stripRequest
	link := isLink(args)
	if link {
		args, strip = canonicalLink(args)
	}
	out = append(out, stdinLanguage(req.Mode, args)...)
	if link {
		// See canonicalLink: every link asks for the PIC runtime.
		out = append(out, "-fPIC")
	}
	out = append(out, "-target", req.Target)
	return outcome{Args: out, Strip: strip}, nil
}

// applyRules applies the rules table to args.
func applyRules(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		r, ok := findRule(a)
		if !ok {
			out = append(out, a)
			continue
		}
		val := ""
		if r.value {
			if i+1 >= len(args) {
				if r.to != nil {
					out = append(out, a) // let zig report the missing value
				}
				continue
			}
			i++
			val = args[i]
		}
		if r.to != nil {
			out = append(out, r.to(a, val)...)
		}
	}
	return out
}

func findRule(arg string) (rule, bool) {
	for _, r := range rules {
		if r.prefix && strings.HasPrefix(arg, r.flag) || !r.prefix && arg == r.flag {
			return r, true
		}
	}
	return rule{}, false
}

// stdinLanguage inserts "-x c" ("-x c++" for c++) before a "-" (stdin)
// input that no -x applies to. `cc -E -dM -` and `echo ... | cc -c -` are how
// build systems (meson, autoconf, CMake compiler checks, scripts) and Go-style
// probes ask for the predefined macros or test a flag. clang reads such stdin
// as C (C++ for clang++), but zig 0.11 cannot classify it and hands the whole
// command to clang unchanged ("passthrough"), without its target, libc and
// -nostdinc setup: the HOST headers are used (/usr/include/stdio.h) and host
// GCC installations are searched. With -x, zig handles it like any source.
func stdinLanguage(m mode, args []string) []string {
	lang := "c"
	if m == modeCXX {
		lang = "c++"
	}
	var out []string
	haveX := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-x" && i+1 < len(args):
			haveX = args[i+1] != "none"
			out = append(out, a, args[i+1])
			i++
			continue
		case strings.HasPrefix(a, "-x") && len(a) > 2:
			haveX = a != "-xnone"
		case flagsWithValue[a] && i+1 < len(args):
			out = append(out, a, args[i+1])
			i++
			continue
		case a == "-" && !haveX:
			out = append(out, "-x", lang)
			haveX = true
		}
		out = append(out, a)
	}
	return out
}

// answerQuery answers -print-libgcc-file-name and -print-file-name=NAME.
// zig's clang driver answers them with the HOST gcc installation
// (/usr/lib/gcc/x86_64-linux-gnu/12/libgcc.a, /lib/x86_64-linux-gnu/libc_nonshared.a),
// and Go's linker (internal linking of cgo code: --print-libgcc-file-name,
// --print-file-name=libc_nonshared.a) would then load host archives, of the
// wrong architecture when cross-compiling. The launcher answers like clang
// does for a file it cannot find: the bare name, which Go's linker skips.
// -print-file-name=include gets zig's own builtin header dir.
func answerQuery(args []string, lib string) (string, bool) {
	for _, a := range args {
		switch {
		case a == "-print-libgcc-file-name" || a == "--print-libgcc-file-name":
			return "libgcc.a\n", true
		case strings.HasPrefix(a, "-print-file-name=") || strings.HasPrefix(a, "--print-file-name="):
			_, name, _ := strings.Cut(a, "=")
			if name == "include" {
				return filepath.Join(lib, "include") + "\n", true
			}
			return name + "\n", true
		}
	}
	return "", false
}

// flagsWithValue take their value in the next argument. Used to tell inputs
// from flag values when classifying a command line.
var flagsWithValue = map[string]bool{
	"-o": true, "-x": true, "-I": true, "-L": true, "-l": true, "-D": true, "-U": true,
	"-include": true, "-imacros": true, "-isystem": true, "-iquote": true,
	"-idirafter": true, "-iprefix": true, "-iwithprefix": true, "-iwithprefixbefore": true,
	"-isysroot": true, "--sysroot": true, "-MF": true, "-MT": true, "-MQ": true, "-MJ": true,
	"-Xlinker": true, "-Xclang": true, "-Xassembler": true, "-Xpreprocessor": true,
	"-target": true, "--target": true, "-u": true, "-z": true, "-T": true, "-e": true,
	"-arch": true, "-include-pch": true, "-dependency-file": true, "-B": true,
	"-F": true, "-framework": true, "--param": true,
}

// sourceExts are inputs that get compiled (as opposed to objects, archives
// and shared libraries that only get linked).
var sourceExts = map[string]bool{
	".c": true, ".cc": true, ".cpp": true, ".cxx": true, ".c++": true, ".cp": true,
	".C": true, ".CC": true, ".CPP": true, ".m": true, ".mm": true, ".M": true,
	".S": true, ".s": true, ".sx": true, ".i": true, ".ii": true,
	".h": true, ".hh": true, ".hpp": true, ".hxx": true, ".H": true,
}

// isCompile reports whether the command line compiles, preprocesses or
// assembles something (so reproducibility flags apply), as opposed to a pure
// link of objects or a query such as --version.
func isCompile(args []string) bool {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-c" || a == "-S" || a == "-E" || a == "-fsyntax-only" || a == "-":
			return true
		case a == "-x":
			// -x LANG: the inputs that follow are sources; -x none resets.
			if i+1 < len(args) && args[i+1] == "none" {
				i++
				continue
			}
			return true
		case strings.HasPrefix(a, "-x") && len(a) > 2 && a != "-xnone":
			return true
		case flagsWithValue[a]:
			i++
		case !strings.HasPrefix(a, "-") && sourceExts[path.Ext(a)]:
			return true
		}
	}
	return false
}

// isLink reports whether the command line links (no -c/-S/-E, not a query).
func isLink(args []string) bool {
	for _, a := range args {
		switch {
		case a == "-c" || a == "-S" || a == "-E" || a == "-fsyntax-only" || a == "-M" || a == "-MM":
			return false
		case a == "--version" || a == "-dumpversion" || a == "-dumpmachine" || a == "-dumpspecs" ||
			strings.HasPrefix(a, "-print-") || strings.HasPrefix(a, "--print-"):
			return false
		}
	}
	return true
}
