package remoteworker

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"

	"github.com/rules-go-cross/rules_go_cross/tools/offline/hosttools"
)

// EnterCommand is the first argument with which this program re-executes itself to become the
// namespace's first process. A program that uses Start must call EnterMain when it sees it.
const EnterCommand = "__enter-remote-worker-root"

// namespace says how the worker's process enters the root.
type namespace struct {
	Root  string   // the offline root: becomes /
	Binds []string // host directories made visible at the same path inside
	Stub  string   // host path of the script that stands in for each hidden host tool
	Argv  []string // the program to run, a path inside the root, and its arguments
	Env   []string
	Dir   string // working directory inside the root
}

// command returns the command that runs ns.Argv inside the root, in a new mount namespace: this
// program, re-executed with EnterCommand, does the mounts and the pivot_root, then executes
// Argv (same PID).
func (ns namespace) command() (*exec.Cmd, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	spec, err := json.Marshal(ns)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, EnterCommand, string(spec))
	// Go makes the new namespace's mounts private (MS_REC|MS_PRIVATE on /) before the exec:
	// nothing mounted below leaks to the host.
	cmd.SysProcAttr = &syscall.SysProcAttr{Unshareflags: syscall.CLONE_NEWNS, Setsid: true}
	return cmd, nil
}

// EnterMain is the namespace's first process: args are what follows EnterCommand. It returns
// only on error.
func EnterMain(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("%s: want one argument (the namespace as JSON), got %d", EnterCommand, len(args))
	}
	var ns namespace
	if err := json.Unmarshal([]byte(args[0]), &ns); err != nil {
		return fmt.Errorf("%s: %w", EnterCommand, err)
	}
	if err := ns.mount(); err != nil {
		return err
	}
	if err := pivotInto(ns.Root); err != nil {
		return err
	}
	if err := os.Chdir(ns.Dir); err != nil {
		return err
	}
	bin, err := exec.LookPath(ns.Argv[0])
	if err != nil {
		return err
	}
	return syscall.Exec(bin, ns.Argv, ns.Env)
}

// mount builds the root's view: the root a mount point of its own (pivot_root needs one), /proc,
// /dev and /sys (linux-sandbox mounts its own /proc and /sys, which the kernel allows only where
// a full instance is already visible), an empty /tmp, the bind mounts, and the host toolchains
// covered.
func (ns namespace) mount() error {
	r := ns.Root
	steps := []struct {
		src, dst, fstype string
		flags            uintptr
		data             string
	}{
		{r, r, "", syscall.MS_BIND | syscall.MS_REC, ""},
		{"proc", r + "/proc", "proc", syscall.MS_NOSUID | syscall.MS_NODEV | syscall.MS_NOEXEC, ""},
		{"/dev", r + "/dev", "", syscall.MS_BIND | syscall.MS_REC, ""},
		{"/sys", r + "/sys", "", syscall.MS_BIND | syscall.MS_REC, ""},
		{"tmpfs", r + "/tmp", "tmpfs", syscall.MS_NOSUID | syscall.MS_NODEV, "mode=1777"},
	}
	for _, s := range steps {
		if err := syscall.Mount(s.src, s.dst, s.fstype, s.flags, s.data); err != nil {
			return fmt.Errorf("mount %s on %s: %w", s.src, s.dst, err)
		}
	}
	for _, b := range ns.Binds {
		dst := filepath.Join(r, b)
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return err
		}
		if err := syscall.Mount(b, dst, "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
			return fmt.Errorf("bind mount %s: %w", b, err)
		}
	}
	files, dirs, err := hosttools.Paths(r, hosttools.C, hosttools.Go)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := syscall.Mount(ns.Stub, f, "", syscall.MS_BIND, ""); err != nil {
			return fmt.Errorf("hiding %s: %w", f, err)
		}
	}
	for _, d := range dirs {
		if err := syscall.Mount("rules-go-cross-hidden", d, "tmpfs", syscall.MS_RDONLY, "size=4k,mode=755"); err != nil {
			return fmt.Errorf("hiding %s: %w", d, err)
		}
	}
	return nil
}

// pivotInto makes root the namespace's / and detaches the host's file system. pivot_root with
// the same directory twice stacks the old root under the new one, where it is unmounted.
func pivotInto(root string) error {
	if err := os.Chdir(root); err != nil {
		return err
	}
	if err := syscall.PivotRoot(".", "."); err != nil {
		return fmt.Errorf("pivot_root into %s: %w", root, err)
	}
	if err := syscall.Unmount(".", syscall.MNT_DETACH); err != nil {
		return fmt.Errorf("detaching the host's file system: %w", err)
	}
	return os.Chdir("/")
}
