package remoteworker

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rules-go-cross/rules_go_cross/tools/offline/hosttools"
)

const (
	sourcePackage = "bazel-bootstrap-source"
	sourceDir     = "/usr/src/bazel-bootstrap"
	javaHome      = "/usr/lib/jvm/default-java"
	mainClass     = "com.google.devtools.build.remote.worker.RemoteWorker"
	// sandboxResource is where the worker looks for linux-sandbox on its class path.
	sandboxResource = "main/tools/linux-sandbox"
	sandboxBinary   = "/usr/share/bazel/linux-sandbox"
)

// Worker is one remote worker: the offline root it runs in and the host directory that holds
// its state (compiled classes, CAS, action directories, log, PID and port).
type Worker struct {
	Root  string
	State string
}

// Options are the settings of a start.
type Options struct {
	Port      int      // 0: a free port
	NoSandbox bool     // run actions without linux-sandbox
	Fresh     bool     // empty the CAS and action cache first (a cold worker)
	Extra     []string // more flags for the worker
}

func (w Worker) path(name string) string { return filepath.Join(w.State, name) }

// URL is what Bazel's --remote_executor takes.
func URL(port int) string { return fmt.Sprintf("grpc://127.0.0.1:%d", port) }

// sourceVersion returns the Debian version of the worker's sources in the root, read from
// dpkg's status file.
func (w Worker) sourceVersion() (string, error) {
	status, err := os.ReadFile(filepath.Join(w.Root, "var/lib/dpkg/status"))
	if err != nil {
		return "", fmt.Errorf("reading the offline root's package list: %w (run tools/bazel once to provision it)", err)
	}
	return packageVersion(status, sourcePackage, w.Root)
}

// packageVersion returns the Version of an installed package in a dpkg status file.
func packageVersion(status []byte, pkg, root string) (string, error) {
	for _, stanza := range bytes.Split(status, []byte("\n\n")) {
		var name, version, state string
		sc := bufio.NewScanner(bytes.NewReader(stanza))
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), ": ")
			if !ok {
				continue
			}
			switch k {
			case "Package":
				name = v
			case "Version":
				version = v
			case "Status":
				state = v
			}
		}
		if name == pkg && strings.HasSuffix(state, " installed") && version != "" {
			return version, nil
		}
	}
	return "", fmt.Errorf("package %s is not installed in the offline root %s: run tools/bazel once (it tops up the root's packages)", pkg, root)
}

// Compile compiles the worker once per source version into State/classes-VERSION and returns
// that directory.
func (w Worker) Compile() (string, error) {
	version, err := w.sourceVersion()
	if err != nil {
		return "", err
	}
	classes := w.path("classes-" + version)
	if _, err := os.Stat(filepath.Join(classes, sandboxResource)); err == nil {
		return classes, nil
	}
	cp, err := ClassPath(w.Root)
	if err != nil {
		return "", err
	}
	srcs, err := w.sources()
	if err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(w.State, ".classes-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	argsFile := filepath.Join(tmp, "sources.txt")
	if err := os.WriteFile(argsFile, []byte(strings.Join(srcs, "\n")+"\n"), 0o644); err != nil {
		return "", err
	}
	out := filepath.Join(tmp, "classes")
	logPath := w.path("compile.log")
	if err := w.runInRoot(logPath, javaHome+"/bin/javac", "-nowarn", "-d", out,
		"-cp", strings.Join(cp, ":"), "@"+argsFile); err != nil {
		return "", fmt.Errorf("compiling the remote worker failed: %w; see %s", err, logPath)
	}
	sandbox, err := os.ReadFile(filepath.Join(w.Root, sandboxBinary))
	if err != nil {
		return "", fmt.Errorf("linux-sandbox is missing from the offline root: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(out, filepath.Dir(sandboxResource)), 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(out, sandboxResource), sandbox, 0o755); err != nil {
		return "", err
	}
	if err := os.RemoveAll(classes); err != nil {
		return "", err
	}
	return classes, os.Rename(out, classes)
}

// sources lists the worker's Java files and those of the runfiles library it uses, as paths
// inside the root.
func (w Worker) sources() ([]string, error) {
	var srcs []string
	remote := filepath.Join(w.Root, sourceDir, "src/tools/remote/src/main/java")
	err := filepath.WalkDir(remote, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".java") {
			srcs = append(srcs, strings.TrimPrefix(p, w.Root))
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("the worker's sources (%s in the offline root): %w", sourcePackage, err)
	}
	runfiles, _ := filepath.Glob(filepath.Join(w.Root, sourceDir, "tools/java/runfiles/*.java"))
	for _, p := range runfiles {
		srcs = append(srcs, strings.TrimPrefix(p, w.Root))
	}
	return srcs, nil
}

// runInRoot runs a program inside the root (as the worker runs) and waits for it.
func (w Worker) runInRoot(logPath string, argv ...string) error {
	ns := w.namespace(argv)
	cmd, err := ns.command()
	if err != nil {
		return err
	}
	log, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer log.Close()
	cmd.Stdout, cmd.Stderr = log, log
	return cmd.Run()
}

func (w Worker) namespace(argv []string) namespace {
	return namespace{
		Root:  w.Root,
		Binds: []string{w.State},
		Stub:  w.path("no-host-toolchain"),
		Argv:  argv,
		Env:   []string{"PATH=/usr/bin:/bin", "HOME=" + w.State, "RUNFILES_DIR=" + w.path("runfiles"), "LANG=C.UTF-8"},
		Dir:   w.State,
	}
}

// Status returns the port of the running worker, or false.
func (w Worker) Status() (int, bool) {
	pid, err := readInt(w.path("worker.pid"))
	if err != nil {
		return 0, false
	}
	port, err := readInt(w.path("worker.port"))
	if err != nil {
		return 0, false
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || !bytes.Contains(cmdline, []byte(mainClass)) {
		return 0, false
	}
	return port, listening(port)
}

// Start starts the worker (compiling it first if needed) unless it runs already, and returns
// its port once it accepts connections.
func (w Worker) Start(opts Options) (int, error) {
	if err := os.MkdirAll(w.State, 0o755); err != nil {
		return 0, err
	}
	unlock, err := lock(w.path("lock"))
	if err != nil {
		return 0, err
	}
	defer unlock()
	if port, ok := w.Status(); ok {
		if opts.Fresh {
			return 0, fmt.Errorf("the remote worker already runs on port %d: stop it first for a fresh one", port)
		}
		return port, nil
	}
	if err := w.prepare(opts.Fresh); err != nil {
		return 0, err
	}
	classes, err := w.Compile()
	if err != nil {
		return 0, err
	}
	cp, err := ClassPath(w.Root)
	if err != nil {
		return 0, err
	}
	port := opts.Port
	if port == 0 {
		if port, err = freePort(); err != nil {
			return 0, err
		}
	}
	argv := []string{javaHome + "/bin/java", "-cp", strings.Join(append([]string{classes}, cp...), ":"), mainClass,
		"--work_path=" + w.path("work"), "--cas_path=" + w.path("cas"), "--listen_port=" + strconv.Itoa(port)}
	if !opts.NoSandbox {
		argv = append(argv, "--sandboxing", "--sandboxing_tmpfs_dir=/tmp", "--sandboxing_block_network")
	}
	argv = append(argv, opts.Extra...)
	cmd, err := w.namespace(argv).command()
	if err != nil {
		return 0, err
	}
	logPath := w.path("worker.log")
	log, err := os.Create(logPath)
	if err != nil {
		return 0, err
	}
	defer log.Close()
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(2 * time.Minute)
	for !listening(port) {
		select {
		case err := <-exited:
			return 0, fmt.Errorf("the remote worker exited while starting (%v); the end of %s:\n%s", err, logPath, tail(logPath, 15))
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			return 0, fmt.Errorf("the remote worker did not listen on port %d within 2 minutes; see %s", port, logPath)
		}
	}
	if err := writeInt(w.path("worker.pid"), cmd.Process.Pid); err != nil {
		return 0, err
	}
	return port, writeInt(w.path("worker.port"), port)
}

// prepare creates the state directories: the action directories always start empty (a killed
// worker leaves its last actions' trees), the CAS only when fresh is asked for.
func (w Worker) prepare(fresh bool) error {
	dirs := []string{"work"}
	if fresh {
		dirs = append(dirs, "cas")
	}
	for _, d := range dirs {
		if err := os.RemoveAll(w.path(d)); err != nil {
			return err
		}
	}
	for _, d := range []string{"work", "cas", "runfiles"} {
		if err := os.MkdirAll(w.path(d), 0o755); err != nil {
			return err
		}
	}
	return os.WriteFile(w.path("no-host-toolchain"), []byte(hosttools.Stub("remote actions")), 0o755)
}

// Stop stops the worker and every action it runs; stopping a worker that does not run is not
// an error.
func (w Worker) Stop() error {
	pid, err := readInt(w.path("worker.pid"))
	if err != nil {
		return nil
	}
	defer os.Remove(w.path("worker.pid"))
	defer os.Remove(w.path("worker.port"))
	if _, ok := w.Status(); !ok {
		if cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); err != nil || !bytes.Contains(cmdline, []byte(mainClass)) {
			return nil
		}
	}
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	for i := 0; i < 100; i++ {
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); errors.Is(err, os.ErrNotExist) {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	return nil
}

func listening(port int) bool {
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func readInt(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

func writeInt(path string, n int) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strconv.Itoa(n)+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func lock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
