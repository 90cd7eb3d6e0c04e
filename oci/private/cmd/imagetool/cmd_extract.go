package main

import (
	"fmt"
	"io"
	"os"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/atomicfs"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/layout"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/rootfs"
)

func runExtract(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("extract", "-layout dir -out rootfs_dir", `
Writes the image's flattened filesystem (whiteouts honoured) into a new
directory: contents, modes, symlinks, hard links, mtimes, and ownership when
running as root. Device nodes and FIFOs are skipped (and listed).`, stderr)
	dir := fs.String("layout", "", "single-image OCI layout directory")
	out := fs.String("out", "", "output directory (must not exist or be empty)")
	if err := parse(fs, args, "layout", "out"); err != nil {
		return err
	}
	img, err := layout.ReadImage(*dir)
	if err != nil {
		return err
	}
	ls, err := img.Layers()
	if err != nil {
		return err
	}
	return atomicfs.WriteDir(*out, func(tmp string) error {
		res, err := rootfs.Extract(ls, tmp, os.Geteuid() == 0)
		if err != nil {
			return err
		}
		for _, s := range res.Skipped {
			fmt.Fprintf(stderr, "imagetool extract: skipped device node or FIFO %s\n", s)
		}
		return nil
	})
}
