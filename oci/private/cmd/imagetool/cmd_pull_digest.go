package main

import (
	"context"
	"fmt"
	"io"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/registry"
)

func runPullDigest(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("pull-digest", "-ref registry/repo:tag|registry/repo@sha256:... [-insecure]", `
Prints the manifest digest the registry serves for the reference.`, stderr)
	ref := fs.String("ref", "", "image reference")
	insecure := fs.Bool("insecure", false, "allow plain http, e.g. for a registry on 127.0.0.1")
	if err := parse(fs, args, "ref"); err != nil {
		return err
	}
	d, err := registry.Digest(context.Background(), *ref, registry.Options{Insecure: *insecure})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, d)
	return nil
}
