package debianlock

import (
	"fmt"
	"sort"
)

// Changes describes how the locked list went from old to cur, one line per
// changed (name, arch) in sorted order, e.g.
//
//	added libc6 amd64 2.41-12
//	upgraded libc6 amd64 2.41-12 → 2.41-12+deb13u1
//	removed musl arm64 1.2.5-3
//
// and counts the entries whose version and file are unchanged.
func Changes(old, cur []Package) (lines []string, unchanged int) {
	before := map[string]Package{}
	for _, p := range old {
		before[p.Key()] = p
	}
	after := map[string]Package{}
	for _, p := range cur {
		after[p.Key()] = p
	}
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		o, hadOld := before[k]
		n, hasNew := after[k]
		switch {
		case !hadOld:
			lines = append(lines, fmt.Sprintf("added %s %s %s", n.Name, n.Arch, n.Version))
		case !hasNew:
			lines = append(lines, fmt.Sprintf("removed %s %s %s", o.Name, o.Arch, o.Version))
		case o.Version == n.Version && o.SHA256 == n.SHA256 && o.Size == n.Size:
			unchanged++
		case o.Version == n.Version:
			lines = append(lines, fmt.Sprintf("changed %s %s %s (same version, different file: sha256 %s → %s)", n.Name, n.Arch, n.Version, o.SHA256, n.SHA256))
		default:
			verb := "changed"
			if c, err := CompareVersions(o.Version, n.Version); err == nil {
				verb = map[int]string{-1: "upgraded", 0: "changed", 1: "downgraded"}[c]
			}
			lines = append(lines, fmt.Sprintf("%s %s %s %s → %s", verb, n.Name, n.Arch, o.Version, n.Version))
		}
	}
	return lines, unchanged
}
