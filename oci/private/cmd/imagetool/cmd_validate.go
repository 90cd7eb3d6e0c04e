package main

import (
	"fmt"
	"io"

	"github.com/google/go-containerregistry/pkg/v1/validate"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/layout"
)

func runValidate(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("validate", "-layout dir", `
Runs go-containerregistry's validate.Image or validate.Index (digests, sizes,
diff_ids, config and manifest consistency) on the layout's image or index.`, stderr)
	dir := fs.String("layout", "", "OCI layout directory")
	if err := parse(fs, args, "layout"); err != nil {
		return err
	}
	img, idx, err := layout.Read(*dir)
	if err != nil {
		return err
	}
	if img != nil {
		if err := validate.Image(img); err != nil {
			return fmt.Errorf("%s: invalid image: %w", *dir, err)
		}
		d, _ := img.Digest()
		fmt.Fprintf(stdout, "ok: image %s\n", d)
		return nil
	}
	if err := validate.Index(idx); err != nil {
		return fmt.Errorf("%s: invalid index: %w", *dir, err)
	}
	d, _ := idx.Digest()
	fmt.Fprintf(stdout, "ok: index %s\n", d)
	return nil
}
