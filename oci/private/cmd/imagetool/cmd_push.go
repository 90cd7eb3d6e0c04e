package main

import (
	"context"
	"fmt"
	"io"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/atomicfs"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/registry"
)

func runPush(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("push", "-layout dir -to registry/repo[:tag] [-insecure] [-digest-out file]", `
Pushes the layout's image or index by digest, tags it when -to has a tag,
and prints <registry/repo>@sha256:... . Credentials come from the Docker
config / credential helpers.`, stderr)
	dir := fs.String("layout", "", "OCI layout directory (image or index)")
	to := fs.String("to", "", "destination registry/repo or registry/repo:tag")
	insecure := fs.Bool("insecure", false, "allow plain http, e.g. for a registry on 127.0.0.1")
	digestOut := fs.String("digest-out", "", "optional output: file with the pushed reference")
	if err := parse(fs, args, "layout", "to"); err != nil {
		return err
	}
	ref, err := registry.Push(context.Background(), *dir, *to, registry.Options{Insecure: *insecure})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, ref)
	if *digestOut != "" {
		return atomicfs.WriteBytes(*digestOut, 0o644, []byte(ref+"\n"))
	}
	return nil
}
