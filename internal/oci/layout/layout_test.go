package layout_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/layout"
)

func TestWriteReadImage(t *testing.T) {
	img := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	dir := t.TempDir()
	if err := layout.WriteImage(dir, img, nil, map[string]string{"a": "b"}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"oci-layout", "index.json"} {
		fi, err := os.Stat(filepath.Join(dir, f))
		if err != nil || fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: %v %v", f, fi, err)
		}
	}
	got, err := layout.ReadImage(dir)
	if err != nil {
		t.Fatal(err)
	}
	gd, _ := got.Digest()
	wd, _ := img.Digest()
	if gd != wd {
		t.Errorf("read back %s, wrote %s", gd, wd)
	}
	top, _ := layout.Top(dir)
	if top.Annotations["a"] != "b" {
		t.Errorf("descriptor annotations %v", top.Annotations)
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	noIndex := filepath.Join(dir, "noindex")
	os.Mkdir(noIndex, 0o755)
	two := filepath.Join(dir, "two")
	os.Mkdir(two, 0o755)
	os.WriteFile(filepath.Join(two, "index.json"), []byte(`{"schemaVersion":2,"manifests":[{},{}]}`), 0o644)
	bad := filepath.Join(dir, "bad")
	os.Mkdir(bad, 0o755)
	os.WriteFile(filepath.Join(bad, "index.json"), []byte(`{`), 0o644)
	for _, tc := range []struct{ dir, want string }{
		{noIndex, "is not an OCI image layout"},
		{two, "lists 2 manifests"},
		{bad, "index.json"},
	} {
		if _, err := layout.ReadImage(tc.dir); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadImage(%s) = %v, want %q", tc.dir, err, tc.want)
		}
	}
}
