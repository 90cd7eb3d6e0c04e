package deb_test

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/deb"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/deb/debtest"
)

func sampleSpec(control, data string) debtest.Spec {
	return debtest.Spec{
		Name: "hello", Version: "1:2.0+deb12u1", Arch: "amd64", Source: "hello-src (2.0)",
		ControlCompression: control, DataCompression: data,
		Files: []debtest.File{
			{Path: "./"},
			{Path: "./usr/"},
			{Path: "./usr/bin/"},
			{Path: "./usr/bin/hello", Body: "#!/bin/true\n", Mode: 0o755},
			{Path: "./usr/bin/hi", Linkname: "hello"},
		},
	}
}

func TestOpenCompressions(t *testing.T) {
	for _, tc := range []struct{ control, data string }{
		{"gz", "xz"}, {"xz", "xz"}, {"zst", "zst"}, {"gz", "gz"}, {"none", "none"},
	} {
		t.Run(tc.control+"_"+tc.data, func(t *testing.T) {
			dir := t.TempDir()
			p, err := debtest.Write(dir, sampleSpec(tc.control, tc.data))
			if err != nil {
				t.Fatal(err)
			}
			pkg, err := deb.Open(p, "")
			if err != nil {
				t.Fatal(err)
			}
			if pkg.Name() != "hello" || pkg.Version() != "1:2.0+deb12u1" || pkg.Architecture() != "amd64" {
				t.Errorf("control = %q %q %q", pkg.Name(), pkg.Version(), pkg.Architecture())
			}
			if src, ver := pkg.Source(); src != "hello-src" || ver != "2.0" {
				t.Errorf("Source() = %q, %q; want hello-src, 2.0", src, ver)
			}
			var got []string
			err = pkg.WalkData(func(h *tar.Header, r io.Reader) error {
				b, _ := io.ReadAll(r)
				got = append(got, h.Name+"|"+h.Linkname+"|"+string(b))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"./||", "./usr/||", "./usr/bin/||", "./usr/bin/hello||#!/bin/true\n", "./usr/bin/hi|hello|"}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("data entries:\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	good, err := debtest.Write(dir, sampleSpec("gz", "xz"))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(good)
	sum := sha256.Sum256(raw)
	goodSum := hex.EncodeToString(sum[:])

	noBinary := sampleSpec("gz", "xz")
	noBinary.SkipDebianBinary = true
	noBinaryPath := filepath.Join(dir, "nobinary.deb")
	b, _ := debtest.Build(noBinary)
	os.WriteFile(noBinaryPath, b, 0o644)

	notAr := filepath.Join(dir, "text.deb")
	os.WriteFile(notAr, []byte("hello world\n"), 0o644)

	truncated := filepath.Join(dir, "truncated.deb")
	os.WriteFile(truncated, raw[:len(raw)-40], 0o644)

	zeros := "0000000000000000000000000000000000000000000000000000000000000000"
	for _, tc := range []struct {
		name, file, sha string
		want            []string
	}{
		{"checksum ok", good, goodSum, nil},
		{"checksum ok with prefix", good, "sha256:" + strings.ToUpper(goodSum), nil},
		{"checksum mismatch", good, zeros, []string{good, "expected " + zeros, "actual " + goodSum}},
		{"missing debian-binary", noBinaryPath, "", []string{noBinaryPath, "not a Debian package: missing debian-binary member"}},
		{"not an ar archive", notAr, "", []string{notAr, "not a Debian package"}},
		{"truncated", truncated, "", []string{truncated, "truncated"}},
		{"missing file", filepath.Join(dir, "nope.deb"), "", []string{"nope.deb"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := deb.Open(tc.file, tc.sha)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("expected error containing %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestCorruptData(t *testing.T) {
	spec := sampleSpec("gz", "gz")
	raw, err := debtest.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	// Flip bytes in the middle of the data member (the last member).
	for i := len(raw) - 30; i < len(raw)-10; i++ {
		raw[i] ^= 0xff
	}
	pkg, err := deb.Parse("corrupt.deb", raw, "")
	if err != nil {
		if !strings.Contains(err.Error(), "corrupt.deb") {
			t.Fatalf("error does not name the file: %v", err)
		}
		return
	}
	err = pkg.WalkData(func(h *tar.Header, r io.Reader) error { _, err := io.ReadAll(r); return err })
	if err == nil {
		t.Fatal("expected an error reading corrupt data.tar.gz")
	}
}

func TestControl(t *testing.T) {
	text := "Package: foo\nVersion: 1.0\nArchitecture: all\nDescription: short\n long line\n .\n more\n\nPackage: ignored\n"
	c, err := deb.ParseControl([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ field, want string }{
		{"Package", "foo"}, {"version", "1.0"}, {"Description", "short"}, {"Missing", ""},
	} {
		if got := c.Get(tc.field); got != tc.want {
			t.Errorf("Get(%q) = %q, want %q", tc.field, got, tc.want)
		}
	}
	want := "Package: foo\nStatus: install ok installed\nVersion: 1.0\nArchitecture: all\nDescription: short\n long line\n .\n more\n"
	if got := string(c.StatusEntry()); got != want {
		t.Errorf("StatusEntry:\n%s\nwant\n%s", got, want)
	}
	if _, err := deb.ParseControl([]byte(" leading continuation\n")); err == nil {
		t.Error("expected error for continuation line before any field")
	}
}

func TestCopyrightLicenses(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"dep5", "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: x\nLicense: GPL-2+\n text\n\nFiles: a\nLicense: MPL-2.0\n\nLicense: GPL-2+\n full text\n", []string{"GPL-2+", "MPL-2.0"}},
		{"free form", "This is the Debian prepackaged version.\nLicense: GPL\n", nil},
		{"dep5 without license", "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := deb.CopyrightLicenses([]byte(tc.text)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestInstalledVersion(t *testing.T) {
	for _, tc := range []struct {
		name, status, pkg, want, err string
	}{
		{"status.d", "Package: libc6\nStatus: install ok installed\nVersion: 2.36-9+deb12u4\n", "libc6", "2.36-9+deb12u4", ""},
		{"second paragraph", "Package: libc-bin\nVersion: 2.17-1\n\nPackage: libc6\nDescription: GNU C Library\n more text\nVersion: 1:2.28-10\n", "libc6", "1:2.28-10", ""},
		{"crlf", "Package: a\r\nVersion: 1\r\n\r\nPackage: b\r\nVersion: 2\r\n", "b", "2", ""},
		{"absent", "Package: musl\nVersion: 1.2.3-1\n", "libc6", "", ""},
		{"empty", "", "libc6", "", ""},
		{"malformed", "Package: libc6\nno colon here\n", "libc6", "", "paragraph 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := deb.InstalledVersion([]byte(tc.status), tc.pkg)
			if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("InstalledVersion(%q) = %q, %v; want %q, error containing %q", tc.pkg, got, err, tc.want, tc.err)
			}
		})
	}
}
