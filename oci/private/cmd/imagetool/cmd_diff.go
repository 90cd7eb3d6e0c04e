package main

import (
	"fmt"
	"io"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/imagediff"
)

func runDiff(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("diff", "-a dir -b dir", `
Compares two OCI layouts, e.g. the same image or index built in two clones
for a reproducibility check. When the top digests are equal it prints
"same: <digest>" and exits 0. Otherwise it prints where they differ and exits
1: for an index, the entries (matched by os/arch/variant and the
io.rules_go_cross.libc annotation) whose manifests differ or that one side
lacks; for an image, the manifest fields, the config fields by JSON path
(e.g. created, config.Env[1], rootfs.diff_ids[1]) and, for each differing
layer, either "same content, different compression" or the first differing
file in tar order and what differs (missing, type, mode, uid/gid, names,
content sha256 and size, mtime, linkname, PAX records).`, stderr)
	a := fs.String("a", "", "first OCI layout directory (image or index)")
	b := fs.String("b", "", "second OCI layout directory (image or index)")
	if err := parse(fs, args, "a", "b"); err != nil {
		return err
	}
	r, err := imagediff.Compare(*a, *b)
	if err != nil {
		return err
	}
	if err := r.Report(stdout); err != nil {
		return err
	}
	if !r.Same {
		return fmt.Errorf("%s and %s differ", *a, *b)
	}
	return nil
}
