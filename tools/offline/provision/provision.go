// Package provision makes the offline environment, once, under the environment's lock:
//
//   - a Debian forky root file system (debootstrap) holding bazel-bootstrap 7.7.1 and the
//     Bazel modules Debian packages (platforms, rules_cc, bazel_skylib, ...);
//   - rules_go and gazelle source trees from the Go module proxy (gazelle with its vendor/).
//
// An interrupted provisioning (env-v1.partial) is never used: the next call starts over.
package provision

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/tools/offline/layout"
	"github.com/rules-go-cross/rules_go_cross/tools/offline/packages"
	"github.com/rules-go-cross/rules_go_cross/tools/offline/rootcmd"
)

const (
	RulesGoVersion = "v0.59.0"
	GazelleVersion = "v0.42.0"
	// DefaultMirror is the Debian mirror unless RULES_GO_CROSS_DEBIAN_MIRROR names another.
	DefaultMirror = "http://deb.debian.org/debian"
)

// Options are what provisioning needs from its caller.
type Options struct {
	Layout   layout.Layout
	Mirror   string       // the Debian mirror
	Progress func(string) // a progress line (RULES_GO_CROSS_QUIET=1 silences them)
}

// CheckPreconditions says what is missing for the offline environment: root, the tools it
// runs, and permission to make mount namespaces.
func CheckPreconditions() error {
	if os.Geteuid() != 0 {
		return errors.New("the offline Bazel environment needs root (it uses unshare, mount and chroot); run as root, or install Bazel >= 7.1 and bazelisk (then BAZEL_REAL is used)")
	}
	for _, tool := range []string{"unshare", "nsenter", "chroot", "mount", "flock", "sha256sum", "tar"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("'%s' is not installed; it is needed to run the offline Bazel (install util-linux / coreutils)", tool)
		}
	}
	if exec.Command("unshare", "-m", "true").Run() != nil {
		return errors.New("'unshare -m' failed: this machine does not allow new mount namespaces (run in a privileged container or VM)")
	}
	return nil
}

// Ensure provisions the environment unless it is complete.
func Ensure(o Options) error {
	l := o.Layout
	if isFile(l.Env + "/.complete") {
		return nil
	}
	if err := os.MkdirAll(l.Cache, 0o777); err != nil {
		return err
	}
	unlock, err := l.Lock()
	if err != nil {
		return err
	}
	defer unlock()
	if isFile(l.Env + "/.complete") {
		return nil
	}
	o.Progress(fmt.Sprintf("provisioning the offline Bazel 7.7.1 environment in %s (once; about 2 minutes)", l.Env))
	work := l.Env + ".partial"
	for _, d := range []string{work, l.Env} {
		if err := os.RemoveAll(d); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(work, 0o777); err != nil {
		return err
	}
	if err := provision(o, work); err != nil {
		return err
	}
	if err := os.WriteFile(work+"/.complete", nil, 0o666); err != nil {
		return err
	}
	if err := os.Rename(work, l.Env); err != nil {
		return err
	}
	return os.Rename(work+".log", l.Env+"/provision.log")
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// run runs a host command with its output going to out (nil: discarded).
func run(out io.Writer, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = out, out
	return cmd.Run()
}

// ensureHostDebootstrap installs debootstrap on the host with apt-get when it is missing.
func ensureHostDebootstrap(o Options) error {
	if _, err := exec.LookPath("debootstrap"); err == nil && isFile("/usr/share/debootstrap/scripts/sid") {
		return nil
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return errors.New("debootstrap is missing and this host has no apt-get to install it; install debootstrap")
	}
	o.Progress("[0/5] installing debootstrap on the host (apt-get)")
	log := o.Layout.Cache + "/debootstrap-install.log"
	f, err := os.Create(log)
	if err != nil {
		return err
	}
	defer f.Close()
	if run(f, "sh", "-c", "apt-get update -qq && apt-get install -y -qq --no-install-recommends debootstrap") != nil {
		return fmt.Errorf("could not install debootstrap with apt-get (Debian's package registry refused or is unreachable); see %s", log)
	}
	return nil
}

// provision makes the environment in work, logging to work.log.
func provision(o Options, work string) error {
	logPath := work + ".log"
	log, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer log.Close()
	if err := ensureHostDebootstrap(o); err != nil {
		return err
	}
	root := work + "/root"
	suite := packages.Suite

	o.Progress(fmt.Sprintf("[1/5] debootstrap: Debian %s root file system (about 20 s)", suite))
	// The host's debootstrap has no "forky" script; the sid script works for it.
	if run(log, "debootstrap", "--variant=minbase", suite, root, o.Mirror, "/usr/share/debootstrap/scripts/sid") != nil {
		return fmt.Errorf("debootstrap of Debian %s from %s failed (is Debian's package registry reachable?); see %s", suite, o.Mirror, logPath)
	}

	pkgs := strings.Join(packages.Root, " ")
	o.Progress(fmt.Sprintf("[2/5] apt-get install %s (about a minute)", pkgs))
	// The mirror's Release files can be past their Valid-Until date.
	if err := os.WriteFile(root+"/etc/apt/apt.conf.d/99rules-go-cross", []byte("Acquire::Check-Valid-Until \"false\";\n"), 0o644); err != nil {
		return err
	}
	// The host's trust store may hold extra CAs (a TLS-inspecting egress proxy): give them to the
	// root so that Go (go_repository), git and Java (Bazel's downloader) trust the same servers.
	if err := os.MkdirAll(root+"/usr/local/share/ca-certificates/host", 0o777); err != nil {
		return err
	}
	if fi, err := os.Stat("/usr/local/share/ca-certificates"); err == nil && fi.IsDir() {
		_ = run(os.Stderr, "find", "/usr/local/share/ca-certificates", "-name", "*.crt", "-exec", "cp", "{}", root+"/usr/local/share/ca-certificates/host/", ";")
	}
	rootcmd.CopyResolvConf(root)
	if rootcmd.Run(root, log, log, "sh", "-c", "apt-get update -qq && apt-get install -y -qq --no-install-recommends "+pkgs+" && update-ca-certificates --fresh && apt-get clean") != nil {
		return fmt.Errorf("apt-get install in the %s root failed (a package may be missing from Debian %s); see %s", suite, suite, logPath)
	}
	if rootcmd.Run(root, log, log, "bazel", "--version") != nil {
		return fmt.Errorf("bazel does not run in the provisioned root; see %s", logPath)
	}

	o.Progress(fmt.Sprintf("[3/5] rules_go %s and gazelle %s from the Go module proxy", RulesGoVersion, GazelleVersion))
	cacheDir := root + "/var/cache/rules_go_cross"
	for _, d := range []string{cacheDir, work + "/modules"} {
		if err := os.MkdirAll(d, 0o777); err != nil {
			return err
		}
	}
	modulesJSON, err := os.Create(work + "/modules.json")
	if err != nil {
		return err
	}
	defer modulesJSON.Close()
	if rootcmd.Run(root, modulesJSON, log, "sh", "-c", "cd /var/cache/rules_go_cross && GOMODCACHE=/var/cache/rules_go_cross/gomod GOTOOLCHAIN=local go mod download -json github.com/bazelbuild/rules_go@"+RulesGoVersion+" github.com/bazelbuild/bazel-gazelle@"+GazelleVersion) != nil {
		return fmt.Errorf("go mod download of rules_go/gazelle failed (is the Go module proxy reachable?); see %s", logPath)
	}
	modcache := cacheDir + "/gomod"
	steps := [][]string{
		{"cp", "-r", modcache + "/github.com/bazelbuild/rules_go@" + RulesGoVersion, work + "/modules/rules_go"},
		{"cp", "-r", modcache + "/github.com/bazelbuild/bazel-gazelle@" + GazelleVersion, work + "/modules/gazelle"},
		{"chmod", "-R", "u+w", work + "/modules"},
		// Module zips drop file modes.
		{"find", work + "/modules", "-name", "*.sh", "-exec", "chmod", "+x", "{}", "+"},
		// Module zips also drop vendor/: gazelle builds its repository tools from vendor/ in
		// GOPATH mode (below).
		{"mkdir", "-p", cacheDir + "/gazelle"},
		{"cp", "-r", work + "/modules/gazelle/.", cacheDir + "/gazelle/"},
	}
	for _, s := range steps {
		if err := run(os.Stderr, s[0], s[1:]...); err != nil {
			return fmt.Errorf("%s failed while provisioning %s: %v", strings.Join(s, " "), work, err)
		}
	}
	// -e: one of gazelle's test packages imports a module that does not exist.
	if rootcmd.Run(root, log, log, "sh", "-c", "cd /var/cache/rules_go_cross/gazelle && GOMODCACHE=/var/cache/rules_go_cross/gomod GOTOOLCHAIN=local go mod vendor -e") != nil {
		return fmt.Errorf("go mod vendor in gazelle failed; see %s", logPath)
	}
	if err := os.RemoveAll(work + "/modules/gazelle"); err != nil {
		return err
	}
	if err := os.Rename(cacheDir+"/gazelle", work+"/modules/gazelle"); err != nil {
		return err
	}
	if err := os.RemoveAll(modcache); err != nil {
		return err
	}

	o.Progress("[4/5] bazel --version in the root")
	if rootcmd.Run(root, log, log, "bazel", "--version") != nil {
		return fmt.Errorf("bazel does not run in the provisioned root; see %s", logPath)
	}
	if err := os.WriteFile(work+"/packages.txt", []byte(packages.Stamp()), 0o666); err != nil {
		return err
	}
	o.Progress(fmt.Sprintf("[5/5] environment ready in %s", o.Layout.Env))
	return nil
}
