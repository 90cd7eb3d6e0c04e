package debianlock

import (
	"strings"
	"testing"
)

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int // sign of a compared with b
	}{
		// Equal, including forms dpkg treats as equal.
		{"1.0", "1.0", 0},
		{"1.0", "0:1.0", 0},
		{"1.0", "1.0-0", 0},
		{"1.001", "1.1", 0},
		{"01.0", "1.0", 0},
		{"2.36-9+deb12u4", "2.36-9+deb12u4", 0},

		// Tilde sorts before everything, even the end of the string.
		{"1.0~rc1", "1.0", -1},
		{"1.0~rc1", "1.0~rc2", -1},
		{"1.0~~", "1.0~", -1},
		{"1.0~~a", "1.0~", -1},
		{"1.0~", "1.0", -1},
		{"1.0~rc1-1", "1.0-1", -1},
		{"2.41-12~bpo13+1", "2.41-12", -1},

		// Epochs win over everything else.
		{"1:0.9", "2.0", 1},
		{"1:0.9", "0:2.0", 1},
		{"2:1.0", "10:0.1", -1},
		{"1:1.0", "1:1.0", 0},

		// Digit runs compare numerically.
		{"2.36-9+deb12u4", "2.36-9+deb12u10", -1},
		{"1.9", "1.10", -1},
		{"1.2.3", "1.2.10", -1},
		{"10", "9", 1},
		{"1.0.0", "1.0", 1},
		{"1.0", "1.0.1", -1},
		{"123456789012345678901234567890", "123456789012345678901234567891", -1},

		// Revisions.
		{"1.2.3-1", "1.2.3-1.1", -1},
		{"1.2.3-1", "1.2.3-2", -1},
		{"1.2.3-10", "1.2.3-9", 1},
		{"1.2.3", "1.2.3-1", -1},
		{"1.0-1", "1.0+b1-1", -1},
		{"13.8+deb13u1", "13.8+deb13u2", -1},
		{"2025b-4+deb13u1", "2025b-4", 1},
		{"2.41-12+deb13u1", "2.41-12", 1},
		{"20250419", "20240203", 1},

		// Letters sort before non-letters; '+' and '.' by ASCII + 256.
		{"1.0a", "1.0+", -1},
		{"1.0a", "1.0.", -1},
		{"1.0+", "1.0.", -1},
		{"1.0a", "1.0b", -1},
		{"1.0A", "1.0a", -1},
		{"1.0a", "1.0", 1},
		{"1.0+dfsg", "1.0", 1},
		{"1.0.dfsg", "1.0+dfsg", 1},

		// Hyphens in the upstream part: the revision is after the last one.
		{"1.0-beta-1", "1.0-beta-2", -1},
		{"1.0-beta-1", "1.0-1", 1},
		{"1:2.3-4-5", "1:2.3-4-4", 1},

		// Colons in the upstream part (allowed with an epoch).
		{"1:1:2-1", "1:1:1-1", 1},
	}
	for _, tt := range tests {
		got, err := CompareVersions(tt.a, tt.b)
		if err != nil {
			t.Errorf("CompareVersions(%q, %q): %v", tt.a, tt.b, err)
			continue
		}
		if got != tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		// Antisymmetry.
		if rev, _ := CompareVersions(tt.b, tt.a); rev != -tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.b, tt.a, rev, -tt.want)
		}
	}
}

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in   string
		want Version
		str  string
	}{
		{"1.0", Version{Upstream: "1.0"}, "1.0"},
		{"0:1.0", Version{Upstream: "1.0"}, "1.0"},
		{"1:2.36-9+deb12u4", Version{Epoch: 1, Upstream: "2.36", Revision: "9+deb12u4"}, "1:2.36-9+deb12u4"},
		{"1.0-beta-1", Version{Upstream: "1.0-beta", Revision: "1"}, "1.0-beta-1"},
		{"2:1:2~rc1-0.1", Version{Epoch: 2, Upstream: "1:2~rc1", Revision: "0.1"}, "2:1:2~rc1-0.1"},
	}
	for _, tt := range tests {
		got, err := ParseVersion(tt.in)
		if err != nil {
			t.Errorf("ParseVersion(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseVersion(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		if got.String() != tt.str {
			t.Errorf("ParseVersion(%q).String() = %q, want %q", tt.in, got.String(), tt.str)
		}
	}
}

func TestParseVersionErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "empty"},
		{":1.0", "empty epoch"},
		{"a:1.0", "epoch is not a number"},
		{"99999999999:1.0", "epoch is too large"},
		{"1:", "empty upstream"},
		{"-1", "empty upstream"},
		{"1.0-", "empty revision"},
		{"1.0 1", "whitespace"},
		{" 1.0", "whitespace"},
		{"1.0_1", `character '_' not allowed in the upstream`},
		{"1:1.0-1:2", `character ':' not allowed in the revision`},
		{"1.0-a/b", `character '/' not allowed in the revision`},
	}
	for _, tt := range tests {
		_, err := ParseVersion(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseVersion(%q) error = %v, want it to mention %q", tt.in, err, tt.want)
		}
	}
	if _, err := CompareVersions("1.0", "x:1"); err == nil {
		t.Error("CompareVersions with an invalid version: want an error")
	}
}
