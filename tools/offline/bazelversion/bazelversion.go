// Package bazelversion decides whether a Bazel handed to tools/bazel (bazelisk's BAZEL_REAL) is
// recent enough to run unchanged: Bazel 7.1 or newer.
package bazelversion

import (
	"os/exec"
	"regexp"
	"strings"
)

// AtLeast71 runs `bazel --version` and reports whether it names Bazel >= 7.1. A Bazel that does
// not run, or prints something else, is not.
func AtLeast71(bazel string) bool {
	out, err := exec.Command(bazel, "--version").Output()
	if err != nil {
		return false
	}
	return parseAtLeast71(string(out))
}

var digits = regexp.MustCompile(`^[0-9]+$`)

// parseAtLeast71 reads the output of `bazel --version` ("bazel 7.7.1"): the second word of each
// line, major.minor[.patch], must be 7.1 or newer.
func parseAtLeast71(out string) bool {
	var words []string
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 {
			words = append(words, f[1])
		} else {
			words = append(words, "")
		}
	}
	v := strings.Join(words, "\n")
	major, rest, _ := strings.Cut(v, ".")
	if !strings.Contains(v, ".") {
		rest = v
	}
	minor, _, _ := strings.Cut(rest, ".")
	if !digits.MatchString(major) || !digits.MatchString(minor) {
		return false
	}
	ma, mi := atoi(major), atoi(minor)
	return ma > 7 || ma == 7 && mi >= 1
}

// atoi converts a string of digits; one too large for an int counts as very large.
func atoi(s string) int {
	n := 0
	for _, c := range s {
		if n > 1<<30 {
			return n
		}
		n = n*10 + int(c-'0')
	}
	return n
}
