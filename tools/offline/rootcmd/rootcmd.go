// Package rootcmd runs a command chrooted in the provisioned root (apt-get, go mod download,
// dpkg-query) with /proc, /dev and /sys mounted, in a private mount namespace: nothing stays
// mounted afterwards.
package rootcmd

import (
	"io"
	"os"
	"os/exec"
)

// script mounts /proc, /dev and /sys in the root $1 and runs "$@" there with a clean
// environment (GOPROXY, GONOSUMDB and GOSUMDB are taken from the caller's).
const script = `
    set -e
    d=$1; shift
    mount -t proc proc "$d/proc"
    mount --rbind /dev "$d/dev"
    mount --rbind /sys "$d/sys"
    exec chroot "$d" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      LANG=C.UTF-8 GOPROXY="${GOPROXY:-https://proxy.golang.org,direct}" GOFLAGS=-mod=mod \
      GONOSUMDB="${GONOSUMDB:-}" GOSUMDB="${GOSUMDB:-sum.golang.org}" DEBIAN_FRONTEND=noninteractive "$@"
  `

// Command is the command that runs args chrooted in root; its output goes to stdout and stderr
// (nil: discarded).
func Command(root string, stdout, stderr io.Writer, args ...string) *exec.Cmd {
	cmd := exec.Command("unshare", append([]string{"-m", "--propagation", "private", "--", "/bin/sh", "-c", script, "in_root", root}, args...)...)
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	return cmd
}

// Run runs args chrooted in root.
func Run(root string, stdout, stderr io.Writer, args ...string) error {
	return Command(root, stdout, stderr, args...).Run()
}

// CopyResolvConf gives the root the host's /etc/resolv.conf, best effort (as `cp ... || true`).
func CopyResolvConf(root string) {
	if b, err := os.ReadFile("/etc/resolv.conf"); err == nil {
		_ = os.WriteFile(root+"/etc/resolv.conf", b, 0o644)
	}
}
