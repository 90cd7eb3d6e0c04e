// Command imagetool builds, inspects and pushes the OCI images of
// rules_go_cross. Bazel actions call its subcommands; every input and output
// is an explicit path flag, nothing is read from the environment, outputs
// are written atomically, and only `push`, `pull`, `pull-digest` and `sign`
// use the network (`sign`, run by `bazel run`, also reads BUILD_* variables
// and runs the user's cosign and git).
//
// Run `imagetool help` or `imagetool <subcommand> -help` for the flags.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{
	"base":        {"build a distroless base image layout from .deb files", runBase},
	"layer":       {"write a deterministic layer tar from host files", runLayer},
	"image":       {"assemble an image layout from a base layout and layer tars", runImage},
	"index":       {"combine image layouts into a multi-platform index layout", runIndex},
	"sbom":        {"write an SPDX 2.3 JSON SBOM from Go build info and base packages", runSBOM},
	"size-report": {"report layer sizes, largest files and the app/base share", runSizeReport},
	"validate":    {"check a layout with go-containerregistry's validate package", runValidate},
	"diff":        {"compare two image or index layouts and show the first differences", runDiff},
	"push":        {"push a layout's image or index to a registry by digest", runPush},
	"provenance":  {"write an in-toto SLSA v1 provenance statement for an image", runProvenance},
	"sign":        {"push, sign with cosign and attach SBOM and provenance attestations", runSign},
	"pull":        {"download an image or index from a registry into an OCI layout", runPull},
	"pull-digest": {"print the manifest digest a registry reference resolves to", runPullDigest},
	"extract":     {"flatten an image layout's filesystem into a directory", runExtract},
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// errUsage marks errors already explained by a usage message.
var errUsage = errors.New("usage error")

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-help" || args[0] == "--help" || args[0] == "-h" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "imagetool: unknown subcommand %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	if err := cmd.run(args[1:], stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		if !errors.Is(err, errUsage) {
			fmt.Fprintf(stderr, "imagetool %s: %v\n", args[0], err)
		}
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: imagetool <subcommand> [flags]    (imagetool <subcommand> -help for its flags)")
	fmt.Fprintln(w)
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
}

// newFlagSet returns a FlagSet whose -help prints the description and flags.
func newFlagSet(name, synopsis, description string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: imagetool %s %s\n\n%s\n\nflags:\n", name, synopsis, strings.TrimSpace(description))
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args and checks that every flag in required was given.
func parse(fs *flag.FlagSet, args []string, required ...string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q; every input is given with a flag (see -help)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var missing []string
	for _, r := range required {
		if !set[r] {
			missing = append(missing, "-"+r)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing required flag(s) %s (see -help)", strings.Join(missing, ", "))
	}
	return nil
}
