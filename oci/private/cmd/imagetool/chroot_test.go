package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestExtractChroot builds a static Go program into an image on the
// synthetic static base, extracts it and runs the entrypoint chrooted as
// the nonroot user. It needs root and a Go toolchain.
func TestExtractChroot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for chroot")
	}
	if os.Getenv("TEST_SRCDIR") != "" {
		// Under Bazel the go in PATH is not the build's SDK and has no cache; tools/test runs
		// this test through `go test ./...` with the build's SDK.
		t.Skip("runs under go test (tools/test step 2), not under bazel test")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go toolchain in PATH")
	}
	f := newFixture(t)
	src := filepath.Join(f.dir, "hello")
	os.MkdirAll(src, 0o755)
	os.WriteFile(filepath.Join(src, "go.mod"), []byte("module hello\n\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(src, "main.go"), []byte(`package main

import (
	"fmt"
	"os"
)

func main() {
	b, err := os.ReadFile("/etc/passwd")
	wd, _ := os.Getwd()
	fmt.Printf("uid=%d wd=%s passwd=%v err=%v tmp=%v\n", os.Getuid(), wd, len(b) > 0, err, os.WriteFile("/tmp/x", nil, 0o600))
}
`), 0o644)
	bin := filepath.Join(f.dir, "hello.bin")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	build.Dir = src
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	layerTar := filepath.Join(f.dir, "hello.tar")
	imagetool(t, "layer", "-out", layerTar, "-file", "/app/hello="+bin)
	img := filepath.Join(f.dir, "hello_img")
	imagetool(t, "image", "-base", f.staticBase, "-layer", layerTar, "-entrypoint", "/app/hello", "-user", "65532", "-workdir", "/home/nonroot", "-out", img)
	root := filepath.Join(f.dir, "hello_root")
	imagetool(t, "extract", "-layout", img, "-out", root)

	fi, err := os.Stat(filepath.Join(root, "home/nonroot"))
	if st, ok := fi.Sys().(*syscall.Stat_t); err != nil || !ok || st.Uid != 65532 || st.Gid != 65532 {
		t.Errorf("home/nonroot owner: %+v %v", fi.Sys(), err)
	}
	cmd := exec.Command("/app/hello")
	cmd.Dir = "/home/nonroot"
	cmd.Env = []string{}
	cmd.SysProcAttr = &syscall.SysProcAttr{Chroot: root, Credential: &syscall.Credential{Uid: 65532, Gid: 65532}}
	out, err := cmd.CombinedOutput()
	if errors.Is(err, syscall.EPERM) {
		t.Skipf("chroot not permitted here: %v", err)
	}
	if err != nil {
		t.Fatalf("running the entrypoint in the chroot: %v\n%s", err, out)
	}
	if want := "uid=65532 wd=/home/nonroot passwd=true err=<nil> tmp=<nil>"; strings.TrimSpace(string(out)) != want {
		t.Errorf("entrypoint printed %q, want %q", out, want)
	}
}
