package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/golist"
)

const planSynopsis = "linkmode plan [-json] [-tags t1,t2] [-platform NAME ...] [-facts FILE | -C DIR] [packages]"

func runPlan(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("plan", planSynopsis, stderr)
	jsonOut := fs.Bool("json", false, "print a JSON report instead of a table")
	var tags, platforms listFlag
	fs.Var(&tags, "tags", "comma-separated build tags for go list, kept in every plan")
	fs.Var(&platforms, "platform", "platform to plan for, repeatable or comma-separated (default: "+strings.Join(linkmode.Platforms(), ", ")+")")
	factsFile := fs.String("facts", "", "read the package facts from this JSON file instead of running go list")
	dir := fs.String("C", "", "run go list in this directory")
	patterns, err := parseInterspersed(fs, args)
	if err != nil {
		return flagExit(err)
	}

	explicit := len(platforms) > 0
	if !explicit {
		platforms = linkmode.Platforms()
	}
	var targets []linkmode.Target
	for _, p := range platforms {
		t, err := linkmode.ParsePlatform(p)
		if err != nil {
			return usageError(stderr, "%v", err)
		}
		targets = append(targets, t)
	}

	report := linkmode.Report{SchemaVersion: linkmode.SchemaVersion, Tags: tags, Results: []linkmode.Result{}}
	factsFor := map[linkmode.Arch]*linkmode.Facts{}
	if *factsFile != "" {
		if len(patterns) > 0 || *dir != "" {
			return usageError(stderr, "-facts cannot be combined with package patterns or -C: the facts file already describes the packages")
		}
		f, err := readFacts(*factsFile)
		if err != nil {
			return usageError(stderr, "%v", err)
		}
		f.Tags = append(f.Tags, tags...)
		for _, a := range linkmode.Arches {
			factsFor[a] = f
		}
		report.FactsFile = *factsFile
	} else {
		report.Patterns = patterns
		if len(report.Patterns) == 0 {
			report.Patterns = []string{"."}
		}
		for _, t := range targets {
			if factsFor[t.Arch] != nil {
				continue // the libc does not change what go list reports
			}
			f, err := golist.Gather(context.Background(), golist.Options{Dir: *dir, Tags: tags, Patterns: patterns}, t.OS, string(t.Arch))
			if err != nil {
				fmt.Fprintf(stderr, "linkmode: %v\n", err)
				return exitFail
			}
			factsFor[t.Arch] = f
		}
	}

	failed := 0
	for _, t := range targets {
		p, err := linkmode.Decide(*factsFor[t.Arch], t)
		if err != nil {
			failed++
		}
		report.Results = append(report.Results, linkmode.NewResult(t.Platform(), p, err))
	}

	if *jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			fmt.Fprintf(stderr, "linkmode: %v\n", err)
			return exitFail
		}
	} else {
		printTable(stdout, report.Results)
	}
	// With explicit platforms every one must be possible; the default
	// matrix is an overview in which impossible platforms are expected.
	if explicit && failed > 0 {
		for _, r := range report.Results {
			if !r.OK {
				fmt.Fprintf(stderr, "linkmode: %s\n", r.Error)
			}
		}
		return exitFail
	}
	return exitOK
}

// readFacts reads a JSON facts file, rejecting unknown fields so that
// typos do not silently drop facts.
func readFacts(file string) (*linkmode.Facts, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading facts: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f linkmode.Facts
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("facts file %s: %v (want {\"packages\": [{\"import_path\": ..., \"cgo_files\": [...], \"c_files\": [...], \"swig_files\": [...], \"cdeps\": [...], \"imports\": [...]}]})", file, err)
	}
	for i, p := range f.Packages {
		if p.ImportPath == "" {
			return nil, fmt.Errorf("facts file %s: package %d has no import_path", file, i)
		}
	}
	return &f, nil
}

// printTable prints the aligned decision table and then the reasons.
func printTable(w io.Writer, results []linkmode.Result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PLATFORM\tCGO\tLINK\tBASE\tTAGS\tLDFLAGS")
	for _, r := range results {
		if !r.OK {
			fmt.Fprintf(tw, "%s\tERROR\t-\t-\t-\t-\n", r.Platform)
			continue
		}
		p := r.Plan
		cgo, tags := "off", p.TagsString()
		if p.Cgo {
			cgo = "on"
		}
		if tags == "" {
			tags = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Platform, cgo, p.Link, p.Base, tags, p.LDFlagsString())
	}
	tw.Flush()
	for _, r := range results {
		fmt.Fprintf(w, "\n%s:\n", r.Platform)
		if !r.OK {
			fmt.Fprintf(w, "  error: %s\n", r.Error)
			continue
		}
		for _, reason := range r.Plan.Reasons {
			fmt.Fprintf(w, "  - %s\n", reason)
		}
	}
}
