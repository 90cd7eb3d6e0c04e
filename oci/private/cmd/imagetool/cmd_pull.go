package main

import (
	"context"
	"fmt"
	"io"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/atomicfs"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/registry"
)

func runPull(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("pull", "-ref registry/repo:tag|registry/repo@sha256:... -out layout_dir [-insecure]", `
Downloads an image or index from a registry into a new OCI layout, checking
every blob against its digest, and prints the digest.`, stderr)
	ref := fs.String("ref", "", "image reference")
	out := fs.String("out", "", "output OCI layout directory (must not exist or be empty)")
	insecure := fs.Bool("insecure", false, "allow plain http, e.g. for a registry on 127.0.0.1")
	if err := parse(fs, args, "ref", "out"); err != nil {
		return err
	}
	if err := atomicfs.CheckOutputDir(*out); err != nil {
		return err
	}
	var d string
	err := atomicfs.WriteDir(*out, func(tmp string) error {
		var err error
		d, err = registry.Pull(context.Background(), *ref, tmp, registry.Options{Insecure: *insecure})
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, d)
	return nil
}
