package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/srcfacts"
	"github.com/rules-go-cross/rules_go_cross/platforms/platform"
)

const stubsSynopsis = "linkmode stubs -in CHECK.json -out REPORT.json"

// stubsCheck is what the Bazel rules (go/private/cgo_stubs.bzl) write: a
// binary built with cgo off and the packages of its graph that declare C code
// (cgo = True, C sources or cdeps) but were compiled without it.
type stubsCheck struct {
	Who      string   `json:"who"`      // what refuses the binary, e.g. "go_image //app:image"
	Binary   string   `json:"binary"`   // label of the binary
	Platform string   `json:"platform"` // platform name, e.g. linux_amd64
	GOARCH   string   `json:"goarch"`
	Suggest  []string `json:"suggest"` // the cgo platforms of that architecture
	Tags     []string `json:"tags"`    // build tags of the build (rules_go's --@rules_go//go/config:tags)
	Fallback string   `json:"fallback_flag"`
	Packages []struct {
		ImportPath string   `json:"importpath"`
		Label      string   `json:"label"`
		Files      []string `json:"files"`
		CDeps      []string `json:"cdeps"`
	} `json:"packages"`
}

// stubsReport is the action's output: each package checked and whether it
// would have needed cgo.
type stubsReport struct {
	Binary   string              `json:"binary"`
	Platform string              `json:"platform"`
	Stubs    []linkmode.CgoNeed  `json:"stubs"`
	Checked  []stubsReportResult `json:"checked"`
}

type stubsReportResult struct {
	ImportPath string `json:"import_path"`
	NeedsCgo   bool   `json:"needs_cgo"`
}

// runStubs decides, with the planner's rules (linkmode.Facts.Summarize) on
// the files built for linux/GOARCH with cgo on, which of the packages really
// have C code there; those were compiled as their pure-Go stubs, and the
// binary is refused with a message naming them and the cgo platforms.
func runStubs(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("stubs", stubsSynopsis, stderr)
	in := fs.String("in", "", "the check, as written by the rules (JSON)")
	out := fs.String("out", "", "write the report here (JSON), also when the check fails")
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if *in == "" || *out == "" || fs.NArg() > 0 {
		return usageError(stderr, "stubs needs -in and -out and no arguments")
	}
	data, err := os.ReadFile(*in)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	var c stubsCheck
	if err := json.Unmarshal(data, &c); err != nil {
		return usageError(stderr, "%s: %v", *in, err)
	}
	arch := linkmode.Arch(c.GOARCH)
	if _, ok := platform.ArchByGOARCH(c.GOARCH); !ok {
		return usageError(stderr, "%s: goarch %q: want one of %s", *in, c.GOARCH, strings.Join(platform.GOARCHes(), ", "))
	}
	var facts linkmode.Facts
	report := stubsReport{Binary: c.Binary, Platform: c.Platform, Stubs: []linkmode.CgoNeed{}}
	labels := map[string]string{}
	for _, p := range c.Packages {
		labels[p.ImportPath] = p.Label
		src, err := srcfacts.ReadFiles(p.Files, p.ImportPath, arch, c.Tags)
		if err != nil {
			fmt.Fprintf(stderr, "linkmode stubs: %s: %v\n", c.Who, err)
			return exitFail
		}
		pkg := linkmode.Package{ImportPath: p.ImportPath, CDeps: p.CDeps}
		if src != nil {
			pkg = src.Package
			pkg.CDeps = p.CDeps
		}
		facts.Packages = append(facts.Packages, pkg)
	}
	report.Stubs = append(report.Stubs, facts.Summarize().NeedCgo...)
	need := map[string]bool{}
	for _, n := range report.Stubs {
		need[n.ImportPath] = true
	}
	for _, p := range c.Packages {
		report.Checked = append(report.Checked, stubsReportResult{ImportPath: p.ImportPath, NeedsCgo: need[p.ImportPath]})
	}
	js, err := json.MarshalIndent(report, "", "  ")
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	if err := os.WriteFile(*out, append(js, '\n'), 0o644); err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	if len(report.Stubs) == 0 {
		return exitOK
	}
	fmt.Fprint(stderr, stubsMessage(c, report.Stubs, labels))
	return exitFail
}

// stubsMessage says which packages were compiled as stubs, and what to do.
func stubsMessage(c stubsCheck, stubs []linkmode.CgoNeed, labels map[string]string) string {
	var b strings.Builder
	var paths []string
	for _, s := range stubs {
		fmt.Fprintf(&b, "%s: %s imports %s, which has C sources (%s) and was compiled with cgo off (%s); build for %s\n",
			c.Who, c.Binary, s.ImportPath, s.Why, c.Platform, strings.Join(c.Suggest, " or "))
		paths = append(paths, s.ImportPath)
	}
	fmt.Fprintf(&b, "Built this way, each of these packages is its pure-Go stub (or nothing), and the binary fails when it reaches it at run time. "+
		"Pick a cgo platform (--platforms=@rules_go_cross//platforms:<name>, or the image's platform), "+
		"or, for a package that really works without cgo, let it through with %s=%s\n", c.Fallback, strings.Join(paths, ","))
	for _, s := range stubs {
		fmt.Fprintf(&b, "  %s: %s\n", s.ImportPath, labels[s.ImportPath])
	}
	return b.String()
}
