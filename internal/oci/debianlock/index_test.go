package debianlock

import (
	"reflect"
	"strings"
	"testing"
)

const testIndex = `Package: libc6
Version: 2.41-12
Architecture: amd64
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.
Filename: pool/main/g/glibc/libc6_2.41-12_amd64.deb
Size: 2850708
SHA256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

Package: libc6-dev
Version: 2.41-12
Architecture: amd64
Filename: pool/main/g/glibc/libc6-dev_2.41-12_amd64.deb
Size: 1
SHA256: not-checked-because-not-wanted


Package: tzdata
Architecture: all
Version: 2025b-4+deb13u1
Filename: pool/main/t/tzdata/tzdata_2025b-4+deb13u1_all.deb
Size: 262720
SHA256: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
`

func TestParsePackages(t *testing.T) {
	want := map[string]bool{"libc6": true, "tzdata": true, "absent": true}
	got, err := ParsePackages(strings.NewReader(testIndex), func(n string) bool { return want[n] })
	if err != nil {
		t.Fatal(err)
	}
	wantEntries := []IndexEntry{
		{Package: "libc6", Version: "2.41-12", Architecture: "amd64", Filename: "pool/main/g/glibc/libc6_2.41-12_amd64.deb", Size: 2850708, SHA256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
		{Package: "tzdata", Version: "2025b-4+deb13u1", Architecture: "all", Filename: "pool/main/t/tzdata/tzdata_2025b-4+deb13u1_all.deb", Size: 262720, SHA256: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
	}
	if !reflect.DeepEqual(got, wantEntries) {
		t.Errorf("ParsePackages =\n%+v\nwant\n%+v", got, wantEntries)
	}
	// No trailing newline, CRLF line ends.
	crlf := strings.ReplaceAll(strings.TrimSuffix(testIndex, "\n"), "\n", "\r\n")
	got, err = ParsePackages(strings.NewReader(crlf), func(n string) bool { return want[n] })
	if err != nil || len(got) != 2 || got[1].SHA256 != wantEntries[1].SHA256 {
		t.Errorf("CRLF index: %+v, %v", got, err)
	}
}

func TestParsePackagesErrors(t *testing.T) {
	const good = "Package: p1\nVersion: 1.0-1\nArchitecture: amd64\nFilename: pool/main/p/p1/p1_1.0-1_amd64.deb\nSize: 10\nSHA256: " + sumA + "\n"
	tests := []struct {
		name, old, new, want string
	}{
		{"missing Version", "Version: 1.0-1\n", "", "package p1): field Version is missing"},
		{"missing SHA256", "SHA256: " + sumA + "\n", "", "field SHA256 is missing"},
		{"bad version", "1.0-1\n", "1.0-\n", `invalid Debian version "1.0-"`},
		{"bad arch", "Architecture: amd64", "Architecture: AMD64", `Architecture "AMD64" is not an architecture name`},
		{"absolute filename", "Filename: pool", "Filename: /pool", `Filename "/pool/main/p/p1/p1_1.0-1_amd64.deb" is not a relative pool path`},
		{"dotdot filename", "Filename: pool/main", "Filename: pool/../main", `is not a relative pool path`},
		{"odd character", "p1_1.0-1_amd64.deb", "p1_1.0-1_amd64 x.deb", `is not a relative pool path`},
		{"query character", "p1_1.0-1_amd64.deb", "p1_1.0-1_amd64.deb?x=.deb", `is not a relative pool path`},
		{"not a deb", "p1_1.0-1_amd64.deb", "p1_1.0-1_amd64.udeb", `is not a relative pool path to a .deb`},
		{"hidden file", "p1/p1_1.0-1_amd64.deb", "p1/.deb", `is not a relative pool path`},
		{"bad size", "Size: 10", "Size: ten", `Size "ten" is not a positive number`},
		{"zero size", "Size: 10", "Size: 0", `Size "0" is not a positive number`},
		{"bad sha", "SHA256: " + sumA, "SHA256: " + sumA[1:], `is not 64 lowercase hex digits`},
		{"continuation first", "Package: p1\n", " Package: p1\n", "continuation line before any field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := "Package: other\nVersion: 1\n\n" + strings.Replace(good, tt.old, tt.new, 1)
			if text == "Package: other\nVersion: 1\n\n"+good {
				t.Fatalf("edit %q did not apply", tt.old)
			}
			_, err := ParsePackages(strings.NewReader(text), func(n string) bool { return n != "other" })
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to mention %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), "paragraph at line 4") {
				t.Errorf("error %q does not give the paragraph's line", err)
			}
		})
	}
}

func TestParseRelease(t *testing.T) {
	rel := "Origin: Debian\nSuite: stable\nCodename: trixie\nMD5Sum:\n d41d8cd98f00b204e9800998ecf8427e 0 main/binary-amd64/Packages.xz\n" +
		"SHA256:\n " + sumA + "  2249766 main/binary-amd64/Packages\n " + sumB + "   309272 main/binary-amd64/Packages.xz\n" +
		"SHA512:\n cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e 0 main/binary-amd64/Packages.xz\n"
	r, err := ParseRelease([]byte(rel))
	if err != nil {
		t.Fatal(err)
	}
	want := &Release{Suite: "stable", Codename: "trixie", Files: map[string]ReleaseFile{
		"main/binary-amd64/Packages":    {SHA256: sumA, Size: 2249766},
		"main/binary-amd64/Packages.xz": {SHA256: sumB, Size: 309272},
	}}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("ParseRelease = %+v, want %+v", r, want)
	}

	for _, tt := range []struct{ text, want string }{
		{"Suite: stable\nMD5Sum:\n x 1 a\n", "no SHA256 section"},
		{"Suite: stable\nSHA256:\n " + sumA + " main/binary-amd64/Packages.xz\n", `line 3: SHA256 entry`},
		{"Suite: stable\nSHA256:\n " + sumA + " -1 main/binary-amd64/Packages.xz\n", `line 3: SHA256 entry`},
		{"Suite: stable\nSHA256:\n xyz 1 main/binary-amd64/Packages.xz\n", `line 3: SHA256 entry`},
		{"", "empty control paragraph"},
	} {
		if _, err := ParseRelease([]byte(tt.text)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseRelease(%q) = %v, want it to mention %q", tt.text, err, tt.want)
		}
	}
}
