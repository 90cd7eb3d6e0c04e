package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runDiffCmd runs `imagetool diff` and returns its exit code and output.
func runDiffCmd(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(append([]string{"diff"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestDiff(t *testing.T) {
	f := newFixture(t)
	dir := f.dir
	img1, img2 := filepath.Join(dir, "img1"), filepath.Join(dir, "img2")
	d1 := f.buildImage(t, f.staticBase, img1)
	f.buildImage(t, f.staticBase, img2)
	later := filepath.Join(dir, "later")
	f.buildImage(t, f.staticBase, later, "-created", "2026-11-26T04:00:00Z")

	// An app layer whose server binary differs by one byte.
	src := filepath.Join(dir, "src")
	server := filepath.Join(src, "server")
	b, err := os.ReadFile(server)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-1] = 'X'
	os.WriteFile(server, b, 0o755)
	appTar2 := filepath.Join(dir, "app2.tar")
	imagetool(t, "layer", "-out", appTar2,
		"-file", "/app/server="+server,
		"-file", "/app/static="+filepath.Join(src, "static"),
		"-file", "/etc/app.conf="+filepath.Join(src, "static", "index.html")+":0600:65532:65532",
		"-dir", "/data:0700:65532:65532", "-symlink", "/usr/local/bin/server=/app/server")
	f2 := *f
	f2.appTar = appTar2
	changed := filepath.Join(dir, "changed")
	f2.buildImage(t, f.staticBase, changed)

	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string // substrings
		stderr []string
	}{
		{
			name:   "same",
			args:   []string{"-a", img1, "-b", img2},
			stdout: []string{"same: " + d1 + "\n"},
		},
		{
			name: "created differs",
			args: []string{"-a", img1, "-b", later},
			code: 1,
			stdout: []string{
				"image: " + d1 + " vs sha256:",
				`  config differs: created: "2024-01-02T03:04:05Z" vs "2026-11-26T04:00:00Z"`,
			},
			stderr: []string{"imagetool diff: " + img1 + " and " + later + " differ"},
		},
		{
			name: "file differs",
			args: []string{"-a", img1, "-b", changed},
			code: 1,
			stdout: []string{
				"  config differs: rootfs.diff_ids[1]: ",
				"  layer 1 (app) differs: first differing file app/server: content sha256 ",
			},
		},
		{
			name:   "missing flag",
			args:   []string{"-a", img1},
			code:   1,
			stderr: []string{"missing required flag(s) -b"},
		},
		{
			name:   "not a layout",
			args:   []string{"-a", img1, "-b", dir},
			code:   1,
			stderr: []string{"not an OCI image layout"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runDiffCmd(tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d", code, tc.code)
			}
			for _, w := range tc.stdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q", w)
				}
			}
			for _, w := range tc.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q", w)
				}
			}
			if tc.code == 0 && strings.Count(stdout, "\n") != 1 {
				t.Errorf("want one line for identical layouts")
			}
			if t.Failed() {
				t.Logf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
			}
		})
	}

	// Indexes: the arm64 entry's image differs.
	arm1, arm2 := filepath.Join(dir, "arm1"), filepath.Join(dir, "arm2")
	f.buildImage(t, f.muslBase, arm1)
	f.buildImage(t, f.muslBase, arm2, "-created", "2026-11-26T04:00:00Z")
	idx1, idx2 := filepath.Join(dir, "idx1"), filepath.Join(dir, "idx2")
	imagetool(t, "index", "-image", img1, "-image", arm1+"::libc=musl", "-out", idx1)
	imagetool(t, "index", "-image", img1, "-image", arm2+"::libc=musl", "-out", idx2)
	code, stdout, _ := runDiffCmd("-a", idx1, "-b", idx2)
	for _, w := range []string{
		"index: sha256:",
		"  linux/arm64/v8 (libc=musl): manifest sha256:",
		`    config differs: created: "2024-01-02T03:04:05Z" vs "2026-11-26T04:00:00Z"`,
	} {
		if !strings.Contains(stdout, w) {
			t.Errorf("index diff lacks %q", w)
		}
	}
	if code != 1 || strings.Contains(stdout, "amd64") {
		t.Errorf("index diff: exit code %d, output:\n%s", code, stdout)
	}
}

func TestDiffHelp(t *testing.T) {
	code, _, stderr := runDiffCmd("-help")
	if code != 0 || !strings.Contains(stderr, "usage: imagetool diff -a dir -b dir") {
		t.Errorf("diff -help: code %d, stderr:\n%s", code, stderr)
	}
	var usage bytes.Buffer
	run([]string{"help"}, &bytes.Buffer{}, &usage)
	if !strings.Contains(usage.String(), "  diff ") {
		t.Errorf("help lacks diff:\n%s", usage.String())
	}
}
