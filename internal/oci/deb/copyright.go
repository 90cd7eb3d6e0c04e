package deb

import (
	"bufio"
	"bytes"
	"sort"
	"strings"
)

// CopyrightLicenses returns the distinct license short names stated on the
// "License:" lines of a machine-readable (DEP-5) debian/copyright file, sorted.
// It returns nil for files in free-form format, where nothing is stated in
// a machine-readable way.
func CopyrightLicenses(text []byte) []string {
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	dep5 := false
	seen := map[string]bool{}
	first := true
	for sc.Scan() {
		l := sc.Text()
		if first {
			if strings.TrimSpace(l) == "" {
				continue
			}
			first = false
			name, value, _ := strings.Cut(l, ":")
			dep5 = strings.EqualFold(strings.TrimSpace(name), "Format") &&
				strings.Contains(value, "copyright-format")
			if !dep5 {
				return nil
			}
			continue
		}
		if l == "" || l[0] == ' ' || l[0] == '\t' {
			continue
		}
		name, value, ok := strings.Cut(l, ":")
		if !ok || !strings.EqualFold(name, "License") {
			continue
		}
		if v := strings.TrimSpace(value); v != "" {
			seen[v] = true
		}
	}
	if !dep5 || len(seen) == 0 {
		return nil
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}
