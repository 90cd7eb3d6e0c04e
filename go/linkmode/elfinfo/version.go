package elfinfo

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a dotted numeric version such as glibc's 2.28.
type Version []int

// ParseVersion parses "2.28", "2.2.5" or "GLIBC_2.28".
func ParseVersion(s string) (Version, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "GLIBC_")
	if t == "" {
		return nil, fmt.Errorf("bad version %q: want MAJOR.MINOR, e.g. 2.28", s)
	}
	var v Version
	for _, part := range strings.Split(t, ".") {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("bad version %q: want MAJOR.MINOR, e.g. 2.28", s)
		}
		v = append(v, n)
	}
	return v, nil
}

// Compare returns -1, 0 or +1; missing trailing parts count as zero.
func (v Version) Compare(w Version) int {
	for i := 0; i < len(v) || i < len(w); i++ {
		a, b := 0, 0
		if i < len(v) {
			a = v[i]
		}
		if i < len(w) {
			b = w[i]
		}
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
	}
	return 0
}

func (v Version) String() string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ".")
}
