// Package spdxlicense turns the license short names of Debian DEP-5
// copyright files ("GPL-2+", "Expat", "BSD-3-clause", "public-domain", ...)
// into SPDX license expressions. Names without an SPDX identifier become
// "LicenseRef-Debian-<name>" references.
package spdxlicense

import (
	"regexp"
	"sort"
	"strings"
)

// known maps lower-cased Debian short names (without a trailing "+") to SPDX
// identifiers. Versioned GNU licenses get "-only" / "-or-later" added.
var known = map[string]string{
	"apache-1.0": "Apache-1.0", "apache-1.1": "Apache-1.1", "apache-2.0": "Apache-2.0", "apache-2": "Apache-2.0",
	"artistic": "Artistic-1.0", "artistic-1.0": "Artistic-1.0", "artistic-2.0": "Artistic-2.0",
	"bsd-2-clause": "BSD-2-Clause", "bsd-3-clause": "BSD-3-Clause", "bsd-4-clause": "BSD-4-Clause",
	"bsl-1.0": "BSL-1.0", "cc0": "CC0-1.0", "cc0-1.0": "CC0-1.0",
	"cc-by-3.0": "CC-BY-3.0", "cc-by-4.0": "CC-BY-4.0", "cc-by-sa-3.0": "CC-BY-SA-3.0", "cc-by-sa-4.0": "CC-BY-SA-4.0",
	"cddl-1.0": "CDDL-1.0", "epl-1.0": "EPL-1.0", "epl-2.0": "EPL-2.0",
	"expat": "MIT", "mit": "MIT", "isc": "ISC", "zlib": "Zlib", "0bsd": "0BSD",
	"mpl-1.1": "MPL-1.1", "mpl-2.0": "MPL-2.0", "openssl": "OpenSSL", "psf-2.0": "PSF-2.0",
	"python-2.0": "Python-2.0", "unicode-dfs-2016": "Unicode-DFS-2016", "unlicense": "Unlicense",
	"w3c": "W3C", "x11": "X11", "zpl-2.1": "ZPL-2.1", "curl": "curl", "ofl-1.1": "OFL-1.1",
}

// gnu lists the GNU families whose versions take -only / -or-later.
var gnu = map[string]string{"gpl": "GPL", "lgpl": "LGPL", "agpl": "AGPL", "gfdl": "GFDL"}

var gnuRe = regexp.MustCompile(`^(a?gpl|lgpl|gfdl)-?(\d+(?:\.\d+)?)(\+)?$`)

// ID maps one Debian short name, e.g. "GPL-2+", to an SPDX identifier such as
// "GPL-2.0-or-later". Unknown names map to "LicenseRef-Debian-<name>", and
// ok reports whether the name was known.
func ID(name string) (id string, ok bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	if m := gnuRe.FindStringSubmatch(n); m != nil {
		v := m[2]
		if !strings.Contains(v, ".") {
			v += ".0"
		}
		suffix := "-only"
		if m[3] == "+" {
			suffix = "-or-later"
		}
		return gnu[m[1]] + "-" + v + suffix, true
	}
	if id, ok := known[strings.TrimSuffix(n, "+")]; ok {
		if strings.HasSuffix(n, "+") && (strings.HasPrefix(id, "MPL") || strings.HasPrefix(id, "Apache")) {
			return id + "+", true
		}
		return id, true
	}
	return Ref(name), false
}

var refUnsafe = regexp.MustCompile(`[^A-Za-z0-9.-]+`)

// Ref returns the LicenseRef identifier used for a name SPDX does not list.
func Ref(name string) string {
	s := strings.Trim(refUnsafe.ReplaceAllString(strings.TrimSpace(name), "-"), "-")
	if s == "" {
		s = "unknown"
	}
	return "LicenseRef-Debian-" + s
}

var exceptionRe = regexp.MustCompile(`(?i)\s+with\s+.*\s+exception$`)
var orRe = regexp.MustCompile(`(?i)\s+or\s+|\s*\|\s*`)
var andRe = regexp.MustCompile(`(?i)\s+and\s+|\s*,\s*`)

// term converts one License: value ("GPL-2+ or Artistic", "MIT and ISC",
// "GPL-3+ with Autoconf exception") to an SPDX expression term. Exceptions
// are dropped (the base license still applies).
func term(v string) string {
	var ors []string
	for _, alt := range orRe.Split(strings.TrimSpace(v), -1) {
		var ands []string
		for _, a := range andRe.Split(alt, -1) {
			a = exceptionRe.ReplaceAllString(strings.TrimSpace(a), "")
			if a == "" {
				continue
			}
			id, _ := ID(a)
			ands = append(ands, id)
		}
		if len(ands) == 0 {
			continue
		}
		ands = uniqSorted(ands)
		s := strings.Join(ands, " AND ")
		if len(ands) > 1 {
			s = "(" + s + ")"
		}
		ors = append(ors, s)
	}
	ors = uniqSorted(ors)
	if len(ors) == 1 {
		return strings.TrimSuffix(strings.TrimPrefix(ors[0], "("), ")")
	}
	return strings.Join(ors, " OR ")
}

// Expression combines the License: values of a copyright file into one SPDX
// expression ("A AND (B OR C)"), or "" when there are none.
func Expression(values []string) string {
	var terms []string
	for _, v := range values {
		t := term(v)
		if t == "" {
			continue
		}
		if len(values) > 1 && strings.Contains(t, " ") && !strings.HasPrefix(t, "(") {
			t = "(" + t + ")"
		}
		terms = append(terms, t)
	}
	terms = uniqSorted(terms)
	if len(terms) == 1 {
		return strings.TrimSuffix(strings.TrimPrefix(terms[0], "("), ")")
	}
	return strings.Join(terms, " AND ")
}

var refRe = regexp.MustCompile(`LicenseRef-[A-Za-z0-9.-]+`)

// Refs returns the LicenseRef identifiers used in expr, sorted.
func Refs(expr string) []string {
	return uniqSorted(refRe.FindAllString(expr, -1))
}

func uniqSorted(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
