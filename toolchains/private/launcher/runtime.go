package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"unsafe"
)

// `launcher runtime` builds one part of the C runtime of one target:
// everything zig compiles for a link besides the user's objects, as a zig
// cache directory that is an ordinary Bazel output (a tree artifact). Each
// link seeds a fresh cache with the parts (cache.go), so these pieces are
// built once per target and served by the disk and remote caches like any
// other output, instead of being rebuilt by every link in a shared cache
// outside Bazel. The runtime comes in two parts, two actions that run side
// by side:
//
//   - c: musl's libc.a or glibc's stub shared libraries and
//     libc_nonshared.a, the crt files and compiler-rt. Links of C (and Go)
//     objects need only this part.
//   - c++: libc++, libc++abi and libunwind, for links that use C++. Its
//     probe links with -nostdlib -lc++, so zig builds the C++ libraries
//     without building libc.a first (the C++ libraries need libc's headers,
//     not libc itself); the keys of the C++ libraries in zig's cache do not
//     depend on -nostdlib, so links with libc find them. The small pieces
//     both parts build (crt files, compiler-rt, glibc's stubs) are the same
//     bytes under the same names in both.
//
// It links small probe programs through the same command line rewrites as
// real links (args.go), so the cache keys zig computes are those of the
// links the toolchain will run:
//
//	launcher runtime -part c|c++ -target T -zig Z -lib L -out O -src S
//
// Z, L (zig's lib dir), O (the empty output directory) and S (a C source for
// -part c, a C++ source for -part c++) are paths relative to the working
// directory, the execroot. The output is the same on every machine and in
// every sandbox:
//
//   - zig's lib dir and the cache dir are passed as /proc/self/cwd/<path>,
//     a spelling that does not depend on where the execroot is;
//   - clang's compiles get -ffile-prefix-map=<execroot>=. through
//     CCC_OVERRIDE_OPTIONS (zig passes no flags of ours to the libc
//     compiles), so no debug info names the execroot;
//   - archives are made in a second, single-threaded pass (canonical.go):
//     zig 0.11 compiles the members of an archive (libc.a has about 1,350)
//     on a thread pool as large as the CPUs it may use, and appends each
//     member's source and headers to the archive's cache manifest, and the
//     member to the archive, in the order the threads finish. That order
//     is part of the archive's cache key (the o/<digest> directory name)
//     and of its bytes. The first pass compiles everything on every CPU;
//     the second removes the archives and their manifests and runs the
//     probe links again on one CPU, where zig's pool has one thread and
//     takes the members in its fixed queue order. Every member is then a
//     cache hit, so the second pass costs seconds.
//     zig's pool thread and its main thread still take turns on that CPU,
//     and where other processes preempt them decides the order in which
//     compiler-rt's files enter its debug line table (seen on a loaded
//     machine, aarch64). So the second pass runs under SCHED_FIFO where the
//     kernel allows it (root, CAP_SYS_NICE): a thread then runs until it
//     blocks, and no other process cuts in;
//   - the inode and mtime fields of the manifests are zeroed (zig rehashes
//     the files when they do not match, and the hashes must match);
//   - zig's scratch directories (tmp/, z/, h/timestamp) are removed.
func runRuntime(argv []string, stderr io.Writer) int {
	fail := failer(stderr)
	fs := flag.NewFlagSet("launcher runtime", flag.ContinueOnError)
	fs.SetOutput(stderr)
	part := fs.String("part", "", "which part of the runtime: c (libc, crt files, compiler-rt) or c++ (libc++, libc++abi, libunwind)")
	target := fs.String("target", "", "zig target triple (x86_64-linux-musl, aarch64-linux-gnu.2.28, ...)")
	zig := fs.String("zig", "", "zig executable, relative to the working directory")
	lib := fs.String("lib", "", "zig's lib dir, relative to the working directory")
	out := fs.String("out", "", "output directory (the runtime part), relative to the working directory")
	src := fs.String("src", "", "the probe: a C source that uses libc (-part c), a C++ source that uses the C++ standard library (-part c++)")
	if err := fs.Parse(argv); err != nil {
		return 2
	}
	const usage = "usage: launcher runtime -part c|c++ -target T -zig Z -lib L -out O -src S"
	// In usage order, so the first missing flag is the one named.
	for _, f := range []struct{ name, value string }{
		{"-part", *part}, {"-target", *target}, {"-zig", *zig}, {"-lib", *lib}, {"-out", *out}, {"-src", *src},
	} {
		if f.value == "" {
			return fail(2, "launcher runtime: %s is required (%s)", f.name, usage)
		}
	}
	if *part != "c" && *part != "c++" {
		return fail(2, "launcher runtime: -part %q: want c or c++ (%s)", *part, usage)
	}
	if err := checkTarget(*target); err != nil {
		return fail(2, "launcher runtime: -target: %v", err)
	}
	for name, v := range map[string]string{"-lib": *lib, "-out": *out} {
		if filepath.IsAbs(v) || strings.HasPrefix(filepath.Clean(v), "..") {
			return fail(2, "launcher runtime: %s %s: want a path below the working directory (the execroot); an absolute path would make the runtime depend on where it was built", name, v)
		}
	}
	cwd, err := os.Getwd()
	if err != nil {
		return fail(2, "launcher runtime: %v", err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fail(2, "launcher runtime: %v", err)
	}
	scratch, err := os.MkdirTemp("", "rules_go_cross-runtime-")
	if err != nil {
		return fail(2, "launcher runtime: cannot create a temporary directory (in $TMPDIR or /tmp): %v", err)
	}
	defer os.RemoveAll(scratch)

	zigLib := procCwd + filepath.Clean(*lib)
	env := zigEnv(os.Environ(), zigLib, procCwd+filepath.Clean(*out))
	if !strings.ContainsAny(cwd, " \t'\"") {
		// '#' first: clang applies the edits silently.
		env = append(env, "CCC_OVERRIDE_OPTIONS=# +-ffile-prefix-map="+cwd+"=.")
	}
	probes := func() error {
		for _, v := range runtimeVariants(*part, *src, scratch) {
			req := request{Mode: v.mode, Target: *target, Execroot: cwd, Lib: zigLib, AbsLib: filepath.Join(cwd, *lib)}
			o, err := rewrite(req, v.args)
			if err != nil {
				return fmt.Errorf("%s: %v", v.name, err)
			}
			cmd := exec.Command(resolveIn(layout{InExecroot: true}, *zig), o.Args...)
			cmd.Env = env
			var buf bytes.Buffer
			cmd.Stdout, cmd.Stderr = &buf, &buf
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("building the C runtime (%s part) of %s failed at the %s link (zig %s): %v\n%s",
					*part, *target, v.name, strings.Join(o.Args, " "), err, buf.String())
			}
		}
		return nil
	}
	// Pass 1, on every CPU this action may use.
	if err := probes(); err != nil {
		return fail(2, "launcher runtime: %v", err)
	}
	// Pass 2, on one CPU: the archives again, in a fixed order.
	if err := removeWholeBuilds(*out); err != nil {
		return fail(2, "launcher runtime: %v", err)
	}
	runtime.LockOSThread() // the affinity below is per thread; children inherit it
	if err := pinToOneCPU(); err != nil {
		return fail(2, "launcher runtime: %v", err)
	}
	fifoIfAllowed()
	if err := probes(); err != nil {
		return fail(2, "launcher runtime: second pass: %v", err)
	}
	if err := finishRuntime(*out); err != nil {
		return fail(2, "launcher runtime: %v", err)
	}
	if err := pruneOrphans(*out); err != nil {
		return fail(2, "launcher runtime: %v", err)
	}
	return 0
}

// variant is one probe link of the runtime build.
type variant struct {
	name string
	mode mode
	args []string
}

// runtimeVariants are the probe links of one runtime part. With the
// canonical link flags (strip.go) the C part's executable and shared
// library cover every C runtime piece Go's cgo, Go's external linker (and
// its flag probes) and Bazel's cc_binary and cc_library links need; the C++
// part's shared library, linked without libc, every C++ one.
func runtimeVariants(part, src, scratch string) []variant {
	o := func(name string) string { return filepath.Join(scratch, name) }
	if part == "c++" {
		return []variant{
			{"C++ shared library (-nostdlib -lc++)", modeCXX, []string{"-nostdlib", "-lc++", "-shared", "-o", o("cxx.so"), src}},
		}
	}
	return []variant{
		{"C executable", modeCC, []string{"-o", o("c_exe"), src}},
		{"C shared library", modeCC, []string{"-shared", "-o", o("c.so"), src}},
	}
}

// finishRuntime removes zig's scratch state from the cache and makes its
// manifests independent of the machine.
func finishRuntime(out string) error {
	for _, p := range []string{"tmp", "z", filepath.Join("h", "timestamp")} {
		if err := os.RemoveAll(filepath.Join(out, p)); err != nil {
			return err
		}
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() != "h" && e.Name() != "o" {
			return fmt.Errorf("unexpected %s in the zig cache %s (this launcher knows zig 0.11's layout: h/, o/, tmp/, z/)", e.Name(), out)
		}
	}
	manifests, err := filepath.Glob(filepath.Join(out, "h", "*.txt"))
	if err != nil {
		return err
	}
	if len(manifests) == 0 {
		return errors.New("zig wrote no cache manifests: nothing was built")
	}
	for _, m := range manifests {
		data, err := os.ReadFile(m)
		if err != nil {
			return err
		}
		if err := os.WriteFile(m, normalizeManifest(data), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// normalizeManifest zeroes the inode and mtime of every file line of a zig
// 0.11 cache manifest ("<size> <inode> <mtime> <hash> <prefix> <path>").
// zig then rehashes each file on first use and finds the same hashes.
func normalizeManifest(data []byte) []byte {
	var b bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Text()
		f := strings.SplitN(line, " ", 6)
		if len(f) == 6 && isDigits(f[0]) && isDigits(f[1]) && isDigits(f[2]) {
			f[1], f[2] = "0", "0"
			line = strings.Join(f, " ")
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// fifoIfAllowed puts the calling thread (and the processes it starts) under
// the real-time SCHED_FIFO policy, lowest priority, when the kernel allows
// it; otherwise it leaves the policy alone (unprivileged sandboxes and
// remote workers: compiler-rt's debug line table may then vary on a loaded
// machine, which stripped binaries, Bazel's default in fastbuild, never
// carry).
func fifoIfAllowed() bool {
	param := struct{ priority int32 }{1}
	_, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETSCHEDULER, 0, 1 /* SCHED_FIFO */, uintptr(unsafe.Pointer(&param)))
	return e == 0
}

// pinToOneCPU restricts the calling thread (and the processes it starts) to
// one of the CPUs it may run on, chosen by process id so that concurrent
// runtime builds spread over the machine.
func pinToOneCPU() error {
	var mask [16]uint64 // 1024 CPUs
	if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_GETAFFINITY, 0, unsafe.Sizeof(mask), uintptr(unsafe.Pointer(&mask[0]))); e != 0 {
		return fmt.Errorf("sched_getaffinity: %v", e)
	}
	one, ok := pickCPU(mask, os.Getpid())
	if !ok {
		return errors.New("sched_getaffinity returned no CPU")
	}
	if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, 0, unsafe.Sizeof(one), uintptr(unsafe.Pointer(&one[0]))); e != 0 {
		return fmt.Errorf("sched_setaffinity: %v", e)
	}
	return nil
}

// pickCPU returns a mask holding only the n-th allowed CPU of mask (n taken
// modulo their number).
func pickCPU(mask [16]uint64, n int) ([16]uint64, bool) {
	var cpus []int
	for i, w := range mask {
		for bit := 0; bit < 64; bit++ {
			if w&(1<<bit) != 0 {
				cpus = append(cpus, i*64+bit)
			}
		}
	}
	var one [16]uint64
	if len(cpus) == 0 {
		return one, false
	}
	c := cpus[n%len(cpus)]
	one[c/64] = 1 << (c % 64)
	return one, true
}
