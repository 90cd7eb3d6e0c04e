package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/platforms/platform"
)

// Files checked against the table (paths from this package, the same under
// go test and bazel test; BUILD.bazel lists them as data).
const (
	checkedInTable = "../platforms.bzl"
	debianLock     = "../../../oci/bases/debian13.lock.json"
)

// TestTableIsCurrent fails when platforms/private/platforms.bzl is not what
// the Go table renders: someone changed one without the other.
func TestTableIsCurrent(t *testing.T) {
	got, err := os.ReadFile(checkedInTable)
	if err != nil {
		t.Fatal(err)
	}
	if want := render(); !bytes.Equal(got, want) {
		t.Errorf("platforms/private/platforms.bzl is not what the Go table (platforms/platform, go/linkmode) renders; do not edit it by hand: run `tools/bazel run //platforms:update_table` and commit the result.\n--- want\n%s", want)
	}
}

// TestPlatformNamesReadBySed guards tools/bazel, which reads the platform
// names from the PLATFORMS lines with sed
// 's/^    "\(linux_[a-z0-9_]*\)": struct.*/\1/p'.
func TestPlatformNamesReadBySed(t *testing.T) {
	re := regexp.MustCompile(`(?m)^    "(linux_[a-z0-9_]*)": struct`)
	var names []string
	for _, m := range re.FindAllStringSubmatch(string(render()), -1) {
		names = append(names, m[1])
	}
	if want := slices.Sorted(slices.Values(platform.Names())); !slices.Equal(slices.Sorted(slices.Values(names)), want) {
		t.Errorf("tools/bazel's sed reads %q from the table, want %q", names, want)
	}
}

// TestDebianLockHasEveryArch checks that the module's base lock requests
// and locks exactly the table's Debian architectures, so that every
// architecture has bases.
func TestDebianLockHasEveryArch(t *testing.T) {
	data, err := os.ReadFile(debianLock)
	if err != nil {
		t.Fatal(err)
	}
	var lock struct {
		Request struct {
			Architectures []string `json:"architectures"`
		} `json:"request"`
		Packages []struct {
			Name string `json:"name"`
			Arch string `json:"arch"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(data, &lock); err != nil {
		t.Fatalf("%s: %v", debianLock, err)
	}
	want := platform.DebianArches()
	fix := "run `tools/bazel run //oci/bases:refresh` (it requests the table's architectures) and commit oci/bases/debian13.lock.json"
	if got := lock.Request.Architectures; !slices.Equal(got, want) {
		t.Errorf("oci/bases/debian13.lock.json requests architectures %q, the platform table has %q; %s", got, want, fix)
	}
	locked := map[string]bool{}
	for _, p := range lock.Packages {
		locked[p.Arch] = true
	}
	for _, a := range want {
		if !locked[a] {
			t.Errorf("oci/bases/debian13.lock.json locks no package for %s; %s", a, fix)
		}
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "platforms.bzl")
	env := func(string) string { return "" }
	for i, want := range []string{"wrote ", "is up to date"} {
		var stderr bytes.Buffer
		if code := run([]string{"-out", out}, &stderr, env); code != 0 || !strings.Contains(stderr.String(), want) {
			t.Errorf("run %d: exit %d, stderr %q; want 0 and %q", i, code, stderr.String(), want)
		}
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, render()) {
		t.Errorf("run wrote %q, want render()", got)
	}
	var stderr bytes.Buffer
	ws := func(k string) string {
		if k == "BUILD_WORKSPACE_DIRECTORY" {
			return dir
		}
		return ""
	}
	if code := run([]string{"-out", "sub.bzl"}, &stderr, ws); code != 0 {
		t.Fatalf("run under bazel run: exit %d, %s", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "sub.bzl")); err != nil {
		t.Errorf("a relative -out is not taken relative to $BUILD_WORKSPACE_DIRECTORY: %v", err)
	}
	if code := run([]string{"extra"}, &stderr, env); code != 2 {
		t.Errorf("run with an argument: exit %d, want 2", code)
	}
}
