// Command debianlock maintains the Debian package lock files of the
// distroless base images.
//
//	debianlock refresh -lock oci/bases/debian13.lock.json [-now 2026-11-26T03:37:00Z] [-architectures amd64,arm64]
//
// refresh reads the "request" of the lock file (archive sources,
// architectures, package names), resolves every package to the newest
// version in the sources' Packages.xz indexes, rewrites the file atomically
// and prints one line per changed package. -architectures replaces the
// request's architectures first (//oci/bases:refresh passes the platform
// table's, so that a new architecture of the table is locked by a refresh). Under `bazel run`, a relative
// -lock path is taken relative to the workspace ($BUILD_WORKSPACE_DIRECTORY).
// See package debianlock for the lock format and what is verified.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/debianlock"
	"github.com/rules-go-cross/rules_go_cross/platforms/platform"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv, nil))
}

const usageText = `usage: debianlock refresh -lock FILE [-now RFC3339]

  refresh   re-resolve the packages requested in FILE against the Debian
            archive and rewrite FILE (run "debianlock refresh -help" for flags)
`

// run is main with its environment passed in; client nil means
// debianlock.DefaultClient().
func run(args []string, stdout, stderr io.Writer, getenv func(string) string, client *http.Client) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return 2
	}
	switch args[0] {
	case "help", "-help", "--help", "-h":
		fmt.Fprint(stdout, usageText)
		return 0
	case "refresh":
	default:
		fmt.Fprintf(stderr, "debianlock: unknown subcommand %q\n\n%s", args[0], usageText)
		return 2
	}
	fs := flag.NewFlagSet("debianlock refresh", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lockPath := fs.String("lock", "", "lock file to refresh (relative paths are relative to $BUILD_WORKSPACE_DIRECTORY when set)")
	nowFlag := fs.String("now", "", "refresh time for the snapshot URLs, RFC 3339 (default: the current time)")
	archFlag := fs.String("architectures", "", "comma-separated Debian architectures that replace the request's (default: the request's)")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *lockPath == "" || fs.NArg() != 0 {
		fmt.Fprintf(stderr, "debianlock refresh: -lock FILE is required and no positional arguments are accepted\n")
		fs.Usage()
		return 2
	}
	var now time.Time
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			fmt.Fprintf(stderr, "debianlock refresh: -now %q is not an RFC 3339 time such as 2026-11-26T03:37:00Z\n", *nowFlag)
			return 2
		}
		now = t
	}
	path := *lockPath
	if ws := getenv("BUILD_WORKSPACE_DIRECTORY"); ws != "" && !filepath.IsAbs(path) {
		path = filepath.Join(ws, path)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var arches []string
	if *archFlag != "" {
		arches = strings.Split(*archFlag, ",")
	}
	if err := refresh(ctx, path, now, arches, client, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "debianlock refresh: %v\n", err)
		return 1
	}
	return 0
}

// refresh re-resolves the lock file at path; arches, when not nil, replace
// the request's architectures.
func refresh(ctx context.Context, path string, now time.Time, arches []string, client *http.Client, stdout, stderr io.Writer) error {
	old, err := debianlock.ReadRequest(path)
	if errors.Is(err, debianlock.ErrNoLock) {
		return fmt.Errorf("%w\ncreate it with a \"request\" object and run refresh again, for example:\n%s", err, exampleRequest())
	}
	if err != nil {
		return err
	}
	if arches != nil {
		old.Request.Architectures = arches
		if err := old.Request.Validate(); err != nil {
			return fmt.Errorf("-architectures: %w", err)
		}
	}
	l, err := debianlock.Refresh(ctx, old, debianlock.Options{Client: client, Now: now, Log: stderr})
	if err != nil {
		return err
	}
	data, err := debianlock.Marshal(l)
	if err != nil {
		return err
	}
	prev, _ := os.ReadFile(path)
	if !bytes.Equal(prev, data) {
		if err := debianlock.WriteLock(path, l); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wrote %s\n", path)
	}
	lines, unchanged := debianlock.Changes(old.Packages, l.Packages)
	for _, line := range lines {
		fmt.Fprintln(stdout, line)
	}
	fmt.Fprintf(stdout, "%d unchanged\n", unchanged)
	return nil
}

// exampleRequest is a lock file holding only a request.
func exampleRequest() string {
	const debian, security = "https://deb.debian.org/debian", "https://deb.debian.org/debian-security"
	ex := struct {
		Request debianlock.Request `json:"request"`
	}{debianlock.Request{
		Sources: []debianlock.Source{
			{URL: debian, Suite: "trixie", Snapshot: "https://snapshot.debian.org/archive/debian"},
			{URL: debian, Suite: "trixie-updates", Snapshot: "https://snapshot.debian.org/archive/debian"},
			{URL: security, Suite: "trixie-security", Snapshot: "https://snapshot.debian.org/archive/debian-security"},
		},
		Architectures: platform.DebianArches(),
		Packages:      []string{"base-files", "ca-certificates", "libc6", "netbase", "tzdata"},
	}}
	b, _ := json.MarshalIndent(ex, "", "  ")
	return string(b)
}
