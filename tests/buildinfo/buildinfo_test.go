// Package buildinfo_test checks that go_buildinfo's module information is in the binaries, as
// `go version -m` (debug/buildinfo) reads it from the file and as the program itself reads it
// (runtime/debug; the arm64 binary runs under qemu-aarch64).
package buildinfo_test

import (
	"debug/buildinfo"
	"flag"
	"strings"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/tests/internal/crossbin"
)

var (
	app   = flag.String("app", "", "tests/buildinfo/app for linux_arm64")
	hello = flag.String("hello", "", "examples/hello for linux_amd64")
	cgo   = flag.String("cgo", "", "examples/cgo for linux_arm64_musl")
)

const module = "github.com/rules-go-cross/rules_go_cross"

// needBinaries skips t outside bazel test, where the binaries do not exist.
func needBinaries(t *testing.T) {
	if *app == "" || *hello == "" || *cgo == "" {
		t.Skip("the binaries exist only under bazel test //tests/buildinfo:buildinfo_test")
	}
}

func TestRecorded(t *testing.T) {
	needBinaries(t)
	for _, tc := range []struct {
		name, path, pkg, version string
		deps                     []string // "path version sum"
	}{
		{"app", *app, module + "/tests/buildinfo/app", "v1.2.3", []string{
			"github.com/google/uuid v1.6.0 ",
			"golang.org/x/sys v0.30.0 h1:abc=",
		}},
		{"hello", *hello, module + "/examples/hello", "(devel)", nil},
		{"cgo", *cgo, module + "/examples/cgo", "(devel)", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info, err := buildinfo.ReadFile(crossbin.Runfile(tc.path))
			if err != nil {
				t.Fatal(err)
			}
			if info.Path != tc.pkg || info.Main.Path != module || info.Main.Version != tc.version {
				t.Errorf("path %q, main module %q %q; want %q, %q %q", info.Path, info.Main.Path, info.Main.Version, tc.pkg, module, tc.version)
			}
			var deps []string
			for _, d := range info.Deps {
				deps = append(deps, d.Path+" "+d.Version+" "+d.Sum)
			}
			if strings.Join(deps, "\n") != strings.Join(tc.deps, "\n") {
				t.Errorf("deps %q, want %q", deps, tc.deps)
			}
			if !strings.HasPrefix(info.GoVersion, "go1.") {
				t.Errorf("Go version %q, want go1.x", info.GoVersion)
			}
		})
	}
}

func TestRuntime(t *testing.T) {
	needBinaries(t)
	cmd := crossbin.Command(t, "arm64", "", crossbin.Runfile(*app))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %v\n%s", cmd, err, out)
	}
	want := "path " + module + "/tests/buildinfo/app\n" +
		"mod " + module + " v1.2.3\n" +
		"dep github.com/google/uuid v1.6.0 \n" +
		"dep golang.org/x/sys v0.30.0 h1:abc=\n"
	if string(out) != want {
		t.Errorf("the program reads\n%s\nwant\n%s", out, want)
	}
}
