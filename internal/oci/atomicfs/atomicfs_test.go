package atomicfs_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/atomicfs"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		content string
		fail    bool
		before  string // existing content, "" for none
		want    string // content afterwards, "" for absent
	}{
		{"new file", "hello", false, "", "hello"},
		{"replace", "new", false, "old", "new"},
		{"failure leaves nothing", "partial", true, "", ""},
		{"failure keeps old file", "partial", true, "old", "old"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
			if tc.before != "" {
				os.WriteFile(p, []byte(tc.before), 0o644)
			}
			err := atomicfs.WriteFile(p, 0o640, func(w io.Writer) error {
				io.WriteString(w, tc.content)
				if tc.fail {
					return errors.New("boom")
				}
				return nil
			})
			if (err != nil) != tc.fail {
				t.Fatalf("err = %v", err)
			}
			got, rerr := os.ReadFile(p)
			if tc.want == "" && rerr == nil || tc.want != "" && string(got) != tc.want {
				t.Errorf("content %q (%v), want %q", got, rerr, tc.want)
			}
			if !tc.fail {
				if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o640 {
					t.Errorf("mode %v", fi.Mode())
				}
			}
			assertNoTemp(t, dir)
		})
	}
}

func TestWriteDir(t *testing.T) {
	dir := t.TempDir()
	emptyDir := filepath.Join(dir, "empty")
	os.Mkdir(emptyDir, 0o755)
	full := filepath.Join(dir, "full")
	os.MkdirAll(filepath.Join(full, "x"), 0o755)
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	for _, tc := range []struct {
		name, path string
		fail       bool
		wantErr    string
	}{
		{"new", filepath.Join(dir, "new"), false, ""},
		{"empty existing", emptyDir, false, ""},
		{"non-empty existing", full, false, "not empty"},
		{"a file", file, false, "not a directory"},
		{"fill fails", filepath.Join(dir, "failed"), true, "boom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := atomicfs.WriteDir(tc.path, func(tmp string) error {
				os.WriteFile(filepath.Join(tmp, "f"), []byte("x"), 0o644)
				if tc.fail {
					return errors.New("boom")
				}
				return nil
			})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if tc.fail {
					if _, err := os.Stat(tc.path); !os.IsNotExist(err) {
						t.Error("failed output directory exists")
					}
				}
				assertNoTemp(t, dir)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(filepath.Join(tc.path, "f")); string(b) != "x" {
				t.Error("content missing")
			}
			if fi, _ := os.Stat(tc.path); fi.Mode().Perm() != 0o755 {
				t.Errorf("mode %v", fi.Mode())
			}
			assertNoTemp(t, dir)
		})
	}
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary %s left behind", e.Name())
		}
	}
}
