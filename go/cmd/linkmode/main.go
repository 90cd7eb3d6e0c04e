// Command linkmode decides, explains and verifies how Go binaries are
// linked for the rules_go_cross platforms (linux x amd64/arm64 x
// none/musl/glibc).
//
//	linkmode plan   [-json] [-tags t1,t2] [-platform NAME ...] [-facts FILE | -C DIR] [packages]
//	linkmode verify [-json] [-expect-arch A] [-expect-libc L] [-expect-static] [-max-glibc X.Y]
//	                [-base-files FILE | -base-root DIR] [-base NAME] [-base-glibc X.Y] BINARY
//	linkmode stubs  -in CHECK.json -out REPORT.json
//
// plan gathers facts with `go list -deps -json` (GOOS/GOARCH per platform,
// CGO_ENABLED=1, GOFLAGS and -tags honoured) or reads them from -facts, and
// prints the decision for each platform; the rules are those of package
// linkmode: no libc -> CGO_ENABLED=0 (error if a package needs cgo); musl
// -> static, cgo only if a package needs it; glibc -> dynamic with cgo if a
// package needs cgo or net, os/user or plugin is used.
//
// verify inspects a linked binary (ELF machine, static/dynamic,
// interpreter, DT_NEEDED, libc, newest GLIBC symbol version, Go build info),
// checks expectations and whether it can start on an image base.
//
// stubs is run by the Bazel rules for a binary built with cgo off: it reads
// the files of the packages that declare C code, as built for linux/GOARCH
// with cgo on, and fails, naming them, when any of them really has C code
// there (it was compiled as its pure-Go stub).
//
// Exit codes: 0 ok; 1 impossible plan for a requested -platform, failing
// go list, or verification failure; 2 usage error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

const usage = `usage: linkmode <command> [flags]

  linkmode plan [-json] [-tags t1,t2] [-platform NAME ...] [-facts FILE | -C DIR] [packages]
      Decide cgo on/off, static or dynamic linking, build tags, linker flags
      and image base for each platform (default: all six platforms). Facts
      come from "go list -deps -json" run in DIR (default: current directory)
      or from a JSON facts file.

  linkmode verify [-json] [-expect-arch amd64|arm64] [-expect-libc musl|glibc|none]
                  [-expect-static] [-max-glibc X.Y]
                  [-base-files FILE | -base-root DIR] [-base NAME] [-base-glibc X.Y] BINARY
      Inspect a linked binary and check expectations and whether it can start
      on an image base.

  linkmode stubs -in CHECK.json -out REPORT.json
      Run by the Bazel rules (go_image, go_platform_binaries, no_cgo_stubs)
      for a binary built with cgo off: fail, naming them, when packages of its
      graph have C code for its platform (they were compiled as stubs).

Exit codes: 0 ok, 1 impossible plan or verification failure, 2 usage error.
Run "linkmode plan -h" or "linkmode verify -h" for the flags.
`

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command; it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "plan":
		return runPlan(args[1:], stdout, stderr)
	case "verify":
		return runVerify(args[1:], stdout, stderr)
	case "stubs":
		return runStubs(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "linkmode: unknown command %q: want plan, verify or stubs\n\n%s", args[0], usage)
	return exitUsage
}

// parseInterspersed parses flags that may come before or after the
// positional arguments ("verify bin/app -expect-static"). Everything after
// "--" is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s\n\nflags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// flagExit maps a flag parsing error to an exit code.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

// usageError prints a usage error and returns exitUsage.
func usageError(stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "linkmode: "+format+"\n", args...)
	return exitUsage
}

// listFlag collects repeated and comma-separated values.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}
