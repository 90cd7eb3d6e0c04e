package main

import (
	"io"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/atomicfs"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/layout"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/sizereport"
)

func runSizeReport(args []string, stdout, stderr io.Writer) (err error) {
	fs := newFlagSet("size-report", "-layout dir -out report.txt [-json report.json] [-base-layers N] [-top 10]", `
Reports each layer's compressed and uncompressed size, the largest files of
the final filesystem and the share of the application layers versus the
base. The base/app split comes from the io.rules_go_cross.base.layers
manifest annotation that 'imagetool image' writes, or -base-layers.`, stderr)
	dir := fs.String("layout", "", "single-image OCI layout directory")
	out := fs.String("out", "", "output text report")
	jsonOut := fs.String("json", "", "optional output: the report as JSON")
	baseLayers := fs.Int("base-layers", -1, "number of base layers (default: from the manifest annotation)")
	top := fs.Int("top", 10, "how many of the largest files to list")
	if err := parse(fs, args, "layout", "out"); err != nil {
		return err
	}
	img, err := layout.ReadImage(*dir)
	if err != nil {
		return err
	}
	r, err := sizereport.Compute(img, *baseLayers, *top)
	if err != nil {
		return err
	}
	var written outputs
	defer func() {
		if err != nil {
			written.removeAll()
		}
	}()
	if err := atomicfs.WriteFile(*out, 0o644, r.WriteText); err != nil {
		return err
	}
	written.add(*out)
	if *jsonOut != "" {
		b, err := r.JSON()
		if err != nil {
			return err
		}
		if err := atomicfs.WriteBytes(*jsonOut, 0o644, b); err != nil {
			return err
		}
	}
	return nil
}
