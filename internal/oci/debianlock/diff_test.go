package debianlock

import (
	"reflect"
	"testing"
)

func TestChanges(t *testing.T) {
	p := func(name, arch, version, sum string) Package {
		return Package{Name: name, Arch: arch, Version: version, SHA256: sum, Size: 1}
	}
	old := []Package{
		p("base-files", "amd64", "13.8", sumA),
		p("libc6", "amd64", "2.41-12", sumA),
		p("libc6", "arm64", "2.41-12", sumA),
		p("musl", "amd64", "1.2.5-3", sumA),
		p("tzdata", "amd64", "2025b-4", sumA),
		p("weird", "amd64", "1.0", sumA),
		p("zlib1g", "amd64", "1:1.3", sumA),
	}
	cur := []Package{
		p("base-files", "amd64", "13.8", sumA),
		p("ca-certificates", "amd64", "20250419", sumB),
		p("libc6", "amd64", "2.41-12+deb13u1", sumB),
		p("libc6", "arm64", "2.41-12", sumA),
		p("tzdata", "amd64", "2025b-4", sumB),
		p("weird", "amd64", "bad-", sumB),
		p("zlib1g", "amd64", "1.3.1", sumB),
	}
	lines, unchanged := Changes(old, cur)
	want := []string{
		"added ca-certificates amd64 20250419",
		"upgraded libc6 amd64 2.41-12 → 2.41-12+deb13u1",
		"removed musl amd64 1.2.5-3",
		"changed tzdata amd64 2025b-4 (same version, different file: sha256 " + sumA + " → " + sumB + ")",
		"changed weird amd64 1.0 → bad-",
		"downgraded zlib1g amd64 1:1.3 → 1.3.1",
	}
	if !reflect.DeepEqual(lines, want) || unchanged != 2 {
		t.Errorf("Changes =\n%q, %d unchanged\nwant\n%q, 2", lines, unchanged, want)
	}
	if lines, unchanged := Changes(nil, nil); lines != nil || unchanged != 0 {
		t.Errorf("Changes(nil, nil) = %q, %d", lines, unchanged)
	}
}
