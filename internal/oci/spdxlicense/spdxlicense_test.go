package spdxlicense

import (
	"reflect"
	"testing"
)

func TestID(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"GPL-2+", "GPL-2.0-or-later", true},
		{"GPL-2", "GPL-2.0-only", true},
		{"LGPL-2.1+", "LGPL-2.1-or-later", true},
		{"GPL-3.0+", "GPL-3.0-or-later", true},
		{"Expat", "MIT", true},
		{"BSD-3-clause", "BSD-3-Clause", true},
		{"MPL-2.0", "MPL-2.0", true},
		{"public-domain", "LicenseRef-Debian-public-domain", false},
		{"ad hoc", "LicenseRef-Debian-ad-hoc", false},
	} {
		got, ok := ID(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ID(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestExpression(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"GPL-2"}, "GPL-2.0-only"},
		{[]string{"MPL-2.0", "GPL-2+"}, "GPL-2.0-or-later AND MPL-2.0"},
		{[]string{"GPL-2+ or Artistic", "MIT"}, "(Artistic-1.0 OR GPL-2.0-or-later) AND MIT"},
		{[]string{"GPL-3+ with Autoconf exception"}, "GPL-3.0-or-later"},
		{[]string{"Expat", "MIT"}, "MIT"},
		{[]string{"public-domain"}, "LicenseRef-Debian-public-domain"},
	} {
		if got := Expression(tc.in); got != tc.want {
			t.Errorf("Expression(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := Refs("MIT AND LicenseRef-Debian-ad-hoc AND (LicenseRef-Debian-x OR ISC)"); !reflect.DeepEqual(got, []string{"LicenseRef-Debian-ad-hoc", "LicenseRef-Debian-x"}) {
		t.Errorf("Refs = %q", got)
	}
}
