// Package testcount counts the test results in the log of `bazel test` or of `go test -v`, the
// way tools/test adds them to its totals.
//
// A log counts the lines that report one result. A command that exited nonzero without any
// failed result failed before its tests ran (a build error, a bad flag): that counts as one
// failure.
package testcount

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
)

// Kind names the tool whose log is read.
type Kind string

const (
	// Bazel is the output of `bazel test`: one line per test target, "//pkg:target   PASSED in 1.2s".
	Bazel Kind = "bazel"
	// GoTest is the output of `go test -v`: one "--- PASS: Name" or "--- FAIL: Name" line per
	// top-level test (indented subtest lines are not counted) and "FAIL pkg [build failed]"
	// for a package whose tests never ran.
	GoTest Kind = "go"
)

// Kinds lists every Kind, in the order of the usage message.
var Kinds = []Kind{Bazel, GoTest}

var (
	bazelPassed = regexp.MustCompile(`^//[^ ]+ +(\(cached\) )?PASSED`)
	bazelFailed = regexp.MustCompile(`^//[^ ]+ +(\(cached\) )?(FAILED|TIMEOUT|NO STATUS|FLAKY|INCOMPLETE|FAILED TO BUILD)`)
	goPassed    = regexp.MustCompile(`^--- PASS: `)
	goFailed    = regexp.MustCompile(`^(--- FAIL: |FAIL[[:space:]].*\[(build|setup) failed\])`)
	// goSummary selects the lines worth showing from a long `go test -v` log: one per package
	// (ok, FAIL, ?) and the top-level results other than passes.
	goSummary = regexp.MustCompile(`^(ok|FAIL|---|\?)[[:space:]]`)
)

// tailLines is how much of a `go test` log is shown when it failed without naming a failure.
const tailLines = 30

// Counts are the results found in one log.
type Counts struct {
	Passed, Failed int
}

// Count counts the results of kind in log, the output of a command that exited with exitCode.
func Count(kind Kind, log []byte, exitCode int) (Counts, error) {
	c, err := count(kind, log)
	return c.withExit(exitCode), err
}

// withExit adds the failure of a command that exited with exitCode without naming one.
func (c Counts) withExit(exitCode int) Counts {
	if exitCode != 0 && c.Failed == 0 {
		c.Failed = 1 // the command failed before any test ran
	}
	return c
}

// count counts the result lines of kind in log.
func count(kind Kind, log []byte) (Counts, error) {
	var pass, fail *regexp.Regexp
	switch kind {
	case Bazel:
		pass, fail = bazelPassed, bazelFailed
	case GoTest:
		pass, fail = goPassed, goFailed
	default:
		return Counts{}, fmt.Errorf("testcount: unknown log kind %q; use one of %q", kind, Kinds)
	}
	var c Counts
	for _, line := range lines(log) {
		if pass.Match(line) {
			c.Passed++
		}
		if fail.Match(line) {
			c.Failed++
		}
	}
	return c, nil
}

// Report writes what tools/test prints for the log: for `go test`, the per-package and
// non-passing result lines, and the end of the log when it failed without naming a failure;
// then, for both kinds, one line "LABEL: N passed, N failed" (LABEL "bazel" or "go test").
func Report(w io.Writer, kind Kind, log []byte, exitCode int) (Counts, error) {
	named, err := count(kind, log)
	if err != nil {
		return named, err
	}
	c := named.withExit(exitCode)
	label := "bazel"
	if kind == GoTest {
		label = "go test"
		ls := lines(log)
		for _, line := range ls {
			if goSummary.Match(line) && !goPassed.Match(line) {
				if _, err := fmt.Fprintf(w, "%s\n", line); err != nil {
					return c, err
				}
			}
		}
		if exitCode != 0 && named.Failed == 0 {
			if len(ls) > tailLines {
				ls = ls[len(ls)-tailLines:]
			}
			for _, line := range ls {
				if _, err := fmt.Fprintf(w, "%s\n", line); err != nil {
					return c, err
				}
			}
		}
	}
	_, err = fmt.Fprintf(w, "%s: %d passed, %d failed\n", label, c.Passed, c.Failed)
	return c, err
}

// lines splits log at newlines as grep and tail do: a final newline ends the last line rather
// than starting an empty one, and carriage returns stay part of their line.
func lines(log []byte) [][]byte {
	if len(log) == 0 {
		return nil
	}
	return bytes.Split(bytes.TrimSuffix(log, []byte("\n")), []byte("\n"))
}
