package crossbin

import (
	"archive/tar"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/deb"
)

// DebRoot unpacks the data of a Debian package (a $(rootpath), e.g. Debian's arm64 libc6: loader
// and libraries) into a temporary directory, a root for qemu's -L, and returns it.
func DebRoot(t *testing.T, debRootpath string) string {
	t.Helper()
	if debRootpath == "" {
		t.Fatal("no Debian package given for the qemu root (the test's flag is not set)")
	}
	pkg, err := deb.Open(Runfile(debRootpath), "")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	err = pkg.WalkData(func(h *tar.Header, r io.Reader) error {
		dst := filepath.Join(root, filepath.Clean("/"+h.Name))
		switch h.Typeflag {
		case tar.TypeDir:
			return os.MkdirAll(dst, 0o755)
		case tar.TypeSymlink:
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return err
			}
			return os.Symlink(h.Linkname, dst)
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return err
			}
			out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
			if err != nil {
				return err
			}
			defer out.Close()
			_, err = io.Copy(out, r)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return root
}
