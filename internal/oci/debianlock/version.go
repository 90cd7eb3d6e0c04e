package debianlock

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a parsed Debian package version, [epoch:]upstream[-revision].
type Version struct {
	Epoch    uint64
	Upstream string
	Revision string // "" when the version has no hyphen
}

// ParseVersion parses a Debian version as dpkg does: the epoch is the digits
// before the first colon, the revision is whatever follows the last hyphen.
func ParseVersion(s string) (Version, error) {
	bad := func(why string) (Version, error) {
		return Version{}, fmt.Errorf("invalid Debian version %q: %s", s, why)
	}
	if s == "" {
		return bad("empty")
	}
	if strings.TrimSpace(s) != s || strings.ContainsAny(s, " \t\n") {
		return bad("contains whitespace")
	}
	var v Version
	rest := s
	if e, after, ok := strings.Cut(s, ":"); ok {
		if e == "" {
			return bad("empty epoch before ':'")
		}
		for i := 0; i < len(e); i++ {
			if !isDigit(e[i]) {
				return bad("epoch is not a number")
			}
		}
		n, err := strconv.ParseUint(e, 10, 32)
		if err != nil {
			return bad("epoch is too large")
		}
		v.Epoch = n
		rest = after
	}
	if i := strings.LastIndexByte(rest, '-'); i >= 0 {
		v.Upstream, v.Revision = rest[:i], rest[i+1:]
		if v.Revision == "" {
			return bad("empty revision after the last '-'")
		}
	} else {
		v.Upstream = rest
	}
	if v.Upstream == "" {
		return bad("empty upstream version")
	}
	for i := 0; i < len(v.Upstream); i++ {
		if c := v.Upstream[i]; !isAlnum(c) && !strings.ContainsRune(".+~-:", rune(c)) {
			return bad(fmt.Sprintf("character %q not allowed in the upstream version", c))
		}
	}
	for i := 0; i < len(v.Revision); i++ {
		if c := v.Revision[i]; !isAlnum(c) && !strings.ContainsRune(".+~", rune(c)) {
			return bad(fmt.Sprintf("character %q not allowed in the revision", c))
		}
	}
	return v, nil
}

// String formats v in the canonical form (the epoch only when non-zero).
func (v Version) String() string {
	s := v.Upstream
	if v.Epoch != 0 {
		s = strconv.FormatUint(v.Epoch, 10) + ":" + s
	}
	if v.Revision != "" {
		s += "-" + v.Revision
	}
	return s
}

// Compare returns -1, 0 or 1 as v sorts before, equal to or after w in
// dpkg's order: epochs numerically, then upstream, then revision, the latter
// two with dpkg's verrevcmp algorithm. A missing revision equals "0".
func (v Version) Compare(w Version) int {
	switch {
	case v.Epoch < w.Epoch:
		return -1
	case v.Epoch > w.Epoch:
		return 1
	}
	if c := verrevcmp(v.Upstream, w.Upstream); c != 0 {
		return c
	}
	return verrevcmp(v.Revision, w.Revision)
}

// CompareVersions parses and compares two version strings; see
// Version.Compare.
func CompareVersions(a, b string) (int, error) {
	va, err := ParseVersion(a)
	if err != nil {
		return 0, err
	}
	vb, err := ParseVersion(b)
	if err != nil {
		return 0, err
	}
	return va.Compare(vb), nil
}

// order is dpkg's character weight for the non-digit parts: '~' sorts before
// everything, even the end of the string; letters sort before other
// characters.
func order(c byte) int {
	switch {
	case isDigit(c):
		return 0
	case isAlpha(c):
		return int(c)
	case c == '~':
		return -1
	default:
		return int(c) + 256
	}
}

// verrevcmp is dpkg's lib/dpkg/version.c verrevcmp: alternate non-digit runs
// (compared character by character with order) and digit runs (compared
// numerically, of any length).
func verrevcmp(a, b string) int {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for (i < len(a) && !isDigit(a[i])) || (j < len(b) && !isDigit(b[j])) {
			ac, bc := 0, 0 // the end of the string weighs 0, like a digit
			if i < len(a) {
				ac = order(a[i])
			}
			if j < len(b) {
				bc = order(b[j])
			}
			if ac != bc {
				return sign(ac - bc)
			}
			i++
			j++
		}
		for i < len(a) && a[i] == '0' {
			i++
		}
		for j < len(b) && b[j] == '0' {
			j++
		}
		firstDiff := 0
		for i < len(a) && isDigit(a[i]) && j < len(b) && isDigit(b[j]) {
			if firstDiff == 0 {
				firstDiff = int(a[i]) - int(b[j])
			}
			i++
			j++
		}
		if i < len(a) && isDigit(a[i]) {
			return 1
		}
		if j < len(b) && isDigit(b[j]) {
			return -1
		}
		if firstDiff != 0 {
			return sign(firstDiff)
		}
	}
	return 0
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }
