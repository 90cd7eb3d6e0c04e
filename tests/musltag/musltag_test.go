// Package musltag_test runs tests/musltag/app built by go_platform_binaries for every platform:
// Go code sees the musl build tag on the musl platforms and on no other.
package musltag_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/tests/internal/crossbin"
)

var (
	binaries   = flag.String("binaries", "", "comma-separated platform=path pairs")
	arm64Libc6 = flag.String("arm64_libc6", "", "Debian libc6 .deb for arm64 (root for qemu-aarch64 -L)")
)

func TestMuslTag(t *testing.T) {
	want := []string{"linux_amd64", "linux_arm64", "linux_amd64_musl", "linux_arm64_musl", "linux_amd64_glibc", "linux_arm64_glibc"}
	bins := crossbin.Parse(t, *binaries, want)
	root := crossbin.DebRoot(t, *arm64Libc6) // for the dynamic arm64 glibc binary
	for name, path := range bins {
		t.Run(name, func(t *testing.T) {
			goarch := strings.Split(name, "_")[1]
			cmd := crossbin.Command(t, goarch, root, path)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v: %v\n%s", cmd.Args, err, out)
			}
			w := fmt.Sprintf("musl tag %v on linux/%s\n", strings.HasSuffix(name, "_musl"), goarch)
			if string(out) != w {
				t.Errorf("printed %q, want %q", out, w)
			}
		})
	}
}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(m.Run())
}
