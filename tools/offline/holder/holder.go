// Package holder keeps the mount namespace Bazel runs in: one long-lived process (unshare,
// then chroot into the root, then sleep) whose namespace every call enters with nsenter, so
// that one Bazel server serves every call. Its pid is in $CACHE/holder.pid; the sealed-/tmp
// mode (RULES_GO_CROSS_SEALED_TMP=1) has a second holder, holder-sealed-tmp.pid, whose /tmp is
// an empty read-only tmpfs. A holder is recognised by its root (/proc/PID/root is the root),
// whichever tools/bazel started it.
//
// In the holder's namespace the root's C toolchain (package hosttools) is hidden: cgo must use
// the zig toolchains, and a build that reaches for the host toolchain fails loudly.
package holder

import (
	"errors"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rules-go-cross/rules_go_cross/tools/offline/hosttools"
	"github.com/rules-go-cross/rules_go_cross/tools/offline/rootcmd"
)

// Name is the holder's name in the cache directory: holder, or holder-sealed-tmp.
func Name(sealed bool) string {
	if sealed {
		return "holder-sealed-tmp"
	}
	return "holder"
}

// PID is the running holder's pid as its pid file records it, when that process is alive and
// chrooted in root.
func PID(cache, root, name string) (string, bool) {
	b, err := os.ReadFile(cache + "/" + name + ".pid")
	if err != nil {
		return "", false
	}
	pid := strings.TrimRight(string(b), "\n")
	if pid == "" || strings.Contains(pid, "/") {
		return "", false
	}
	if fi, err := os.Stat("/proc/" + pid); err != nil || !fi.IsDir() {
		return "", false
	}
	if r, err := os.Readlink("/proc/" + pid + "/root"); err != nil || r != root {
		return "", false
	}
	return pid, true
}

// script sets up the namespace and becomes the holder; $1 is the root, $2 "normal" or "sealed",
// $3 the stub script, then the host tool files to cover with it, "--", and the host toolchain
// directories to cover with an empty tmpfs (hosttools.Paths). Like a background job of a shell
// script, it ignores SIGINT and SIGQUIT (a Ctrl-C of a bazel call ends that call, not the
// namespace).
const script = `
    trap '' INT QUIT
    set -e
    d=$1 mode=$2
    mount -t proc proc "$d/proc"
    mount --rbind /dev "$d/dev"
    mount --rbind /sys "$d/sys"
    # Hide the root's C toolchain from Bazel and its actions (package hosttools).
    stub="$d/usr/local/lib/rules_go_cross/no-host-cc"
    mkdir -p "${stub%/*}"
    printf "%s" "$3" >"$stub"
    chmod 755 "$stub"
    shift 3
    while [ "$1" != -- ]; do
      mount --bind "$stub" "$1"
      shift
    done
    shift
    for dir in "$@"; do
      mount -t tmpfs -o ro,size=4k,mode=755 rules-go-cross-hidden "$dir"
    done
    if [ "$mode" = sealed ]; then
      # An empty /tmp that nothing can write: the host /tmp is never bind-mounted here.
      mount -t tmpfs -o ro,size=4k,mode=1777 rules-go-cross-sealed-tmp "$d/tmp"
    fi
    exec chroot "$d" /bin/sleep infinity
  `

// Start returns the running holder's pid, starting the holder first if none runs.
func Start(cache, root string, sealed bool) (string, error) {
	name := Name(sealed)
	if pid, ok := PID(cache, root, name); ok {
		return pid, nil
	}
	rootcmd.CopyResolvConf(root)
	mode := "normal"
	if sealed {
		mode = "sealed"
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return "", err
	}
	defer devnull.Close()
	log, err := os.Create(cache + "/" + name + ".log")
	if err != nil {
		return "", err
	}
	defer log.Close()
	// unshare (without --fork) execs sh, which execs chroot, which execs sleep: one pid. It is
	// never waited for: it outlives this process.
	files, dirs, err := hosttools.Paths(root, hosttools.C)
	if err != nil {
		return "", err
	}
	args := []string{"-m", "--propagation", "private", "--", "/bin/sh", "-c", script, "holder", root, mode, hosttools.Stub("builds")}
	args = append(append(append(args, files...), "--"), dirs...)
	cmd := exec.Command("unshare", args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = devnull, devnull, log
	if err := cmd.Start(); err != nil {
		return "", errors.New("could not start the namespace holder process (unshare/chroot into " + root + " failed)")
	}
	pid := cmd.Process.Pid
	for i := 0; i < 100; i++ {
		if r, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/root"); err == nil && r == root {
			if err := os.WriteFile(cache+"/"+name+".pid", []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
				return "", err
			}
			return strconv.Itoa(pid), nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return "", errors.New("could not start the namespace holder process (unshare/chroot into " + root + " failed)")
}

// mountScript bind-mounts each host directory at the same path inside the root $1, skipping
// those already there.
const mountScript = `
    root=$1
    shift
    for dir in "$@"; do
      [ -d "$dir" ] || continue
      target="$root$dir"
      [ "$(stat -c %d:%i "$dir")" = "$(stat -c %d:%i "$target" 2>/dev/null)" ] && continue
      mkdir -p "$target"
      mount --bind "$dir" "$target"
    done
  `

// EnsureMounted makes each host directory of dirs (absolute, without symlinks, parents
// first) visible at the same path inside the holder's root. A warm call, with every directory
// mounted already, starts no process: it compares each directory with what the holder sees at
// that path (/proc/PID/root/DIR). Otherwise one nsenter mounts the missing ones; its failure
// is returned as its *exec.ExitError.
func EnsureMounted(pid, root string, dirs []string) error {
	if len(Unmounted(pid, dirs)) == 0 {
		return nil
	}
	cmd := exec.Command("nsenter", append([]string{"-t", pid, "-m", "--", "/bin/sh", "-c", mountScript, "ensure_mounted", root}, dirs...)...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}

// Unmounted are the directories of dirs that the holder pid does not see at their host path.
func Unmounted(pid string, dirs []string) []string {
	var out []string
	for _, d := range dirs {
		host, err := os.Stat(d)
		if err != nil || !host.IsDir() {
			continue // the mount script skips it too
		}
		inside, err := os.Stat("/proc/" + pid + "/root" + d)
		if err != nil || !sameFile(host, inside) {
			out = append(out, d)
		}
	}
	return out
}

func sameFile(a, b os.FileInfo) bool {
	sa, ok1 := a.Sys().(*syscall.Stat_t)
	sb, ok2 := b.Sys().(*syscall.Stat_t)
	return ok1 && ok2 && sa.Dev == sb.Dev && sa.Ino == sb.Ino
}

// Order is the mount order of dirs: each resolved (realpath -e; a path that does not exist is
// dropped), duplicates dropped, shorter paths first, so that a parent is mounted before its
// children and a later mount never hides an earlier one.
func Order(dirs []string, realpath func(string) (string, error)) []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range dirs {
		if d == "" {
			continue
		}
		r, err := realpath(d)
		if err != nil || seen[r] {
			continue
		}
		seen[r] = true
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) < len(out[j])
		}
		return out[i] < out[j]
	})
	return out
}
