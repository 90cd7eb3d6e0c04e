// Package envcheck checks, from inside a running container image, what a Go
// program expects of a distroless base: that localhost resolves through
// /etc/hosts (as /etc/nsswitch.conf orders), that the system CA pool is not
// empty, that the time zone database is there, and that the process runs as
// the unprivileged user nonroot (65532) with its home directory.
package envcheck

import (
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"os/user"
	"time"
)

// Result is the outcome of one check.
type Result struct {
	Name   string
	Detail string // what was found
	Err    error  // nil when the check passed
}

// Check is one named check.
type Check struct {
	Name string
	Run  func() (string, error)
}

// Checks are the checks Run performs, in order.
var Checks = []Check{
	{"localhost resolves", localhost},
	{"system CA pool", caPool},
	{"time zone Europe/Berlin", timeZone},
	{"user is nonroot", nonroot},
}

// Run performs every check.
func Run() []Result {
	var rs []Result
	for _, c := range Checks {
		d, err := c.Run()
		rs = append(rs, Result{Name: c.Name, Detail: d, Err: err})
	}
	return rs
}

func localhost() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupHost(ctx, "localhost")
	if err != nil {
		return "", fmt.Errorf("lookup localhost: %w (the image needs /etc/hosts and /etc/nsswitch.conf with \"hosts: files\")", err)
	}
	for _, a := range addrs {
		if ip := net.ParseIP(a); ip != nil && ip.IsLoopback() {
			return a, nil
		}
	}
	return "", fmt.Errorf("localhost resolved to %v, no loopback address", addrs)
}

func caPool() (string, error) {
	pool, err := x509.SystemCertPool()
	if err != nil {
		return "", fmt.Errorf("system cert pool: %w", err)
	}
	//lint:ignore SA1019 Subjects lists the system roots on Linux, which is what is checked.
	n := len(pool.Subjects()) //nolint:staticcheck
	if n == 0 {
		return "", fmt.Errorf("the system CA pool is empty (the image needs /etc/ssl/certs/ca-certificates.crt or SSL_CERT_FILE)")
	}
	return fmt.Sprintf("%d certificates", n), nil
}

func timeZone() (string, error) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return "", fmt.Errorf("%w (the image needs tzdata in /usr/share/zoneinfo)", err)
	}
	winter := time.Date(2026, time.January, 15, 12, 0, 0, 0, time.UTC).In(loc)
	if _, off := winter.Zone(); off != 3600 {
		return "", fmt.Errorf("Europe/Berlin in January is UTC%+d, want UTC+1", off/3600)
	}
	return loc.String(), nil
}

func nonroot() (string, error) {
	u, err := user.Current()
	if err != nil {
		return "", fmt.Errorf("user.Current: %w (the image needs /etc/passwd)", err)
	}
	if u.Username != "nonroot" || u.Uid != "65532" {
		return "", fmt.Errorf("running as %s (uid %s), want nonroot (65532)", u.Username, u.Uid)
	}
	if u.HomeDir != "/home/nonroot" {
		return "", fmt.Errorf("home directory %q, want /home/nonroot", u.HomeDir)
	}
	if fi, err := os.Stat(u.HomeDir); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("home directory %s is missing", u.HomeDir)
	}
	return fmt.Sprintf("%s(%s)", u.Username, u.Uid), nil
}

// Print writes one line per result and returns whether all passed.
func Print(w interface{ Write([]byte) (int, error) }, rs []Result) bool {
	ok := true
	for _, r := range rs {
		if r.Err != nil {
			ok = false
			fmt.Fprintf(w, "envcheck FAIL %s: %v\n", r.Name, r.Err)
			continue
		}
		fmt.Fprintf(w, "envcheck ok %s: %s\n", r.Name, r.Detail)
	}
	return ok
}
