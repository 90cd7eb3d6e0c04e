package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/sign"
)

func runSign(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sign", "-layout dir -image digest.txt,sbom.spdx.json,provenance.json ... [--key KEY] [--cosign PATH] [--insecure] [--source-revision REV] [--source-uri URI] [REGISTRY/REPO[:TAG]]", `
Pushes the layout's image or index by digest (as 'push' does), then with the
user's cosign signs what it pushed (an index with --recursive: the index and
every image), and attaches to every image its SPDX SBOM (cosign attest --type
spdxjson) and its SLSA v1 provenance (--type slsaprovenance1) with the source
revision added. Key-based and offline: --tlog-upload=false, no Fulcio.

The key is a file (relative to the directory bazel run was started in; its
password comes from COSIGN_PASSWORD) or a KMS URI. cosign comes from --cosign,
$RULES_GO_CROSS_COSIGN or PATH. The source revision is git HEAD of the
workspace (BUILD_WORKSPACE_DIRECTORY), or --source-revision / --source-uri.
Flags and the destination may come in any order. Prints REGISTRY/REPO@sha256:...`, stderr)
	dir := fs.String("layout", "", "OCI layout directory (image or index)")
	var images listFlag
	fs.Var(&images, "image", "digest_file,sbom,provenance of an image to attest (repeatable)")
	to := fs.String("to", "", "default destination REGISTRY/REPO[:TAG]; a positional argument wins")
	key := fs.String("key", "", "cosign private key: file or KMS URI")
	cosignFlag := fs.String("cosign", "", "path of cosign (default $RULES_GO_CROSS_COSIGN, then PATH)")
	insecure := fs.Bool("insecure", false, "allow plain http, e.g. for a registry on 127.0.0.1")
	revision := fs.String("source-revision", "", "source revision to record (default: git HEAD of the workspace)")
	uri := fs.String("source-uri", "", "source repository to record (default: git+<origin URL>)")
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		*to, rest = fs.Arg(0), fs.Args()[1:]
	}
	if *dir == "" {
		return fmt.Errorf("missing required flag -layout (see -help)")
	}
	if *to == "" {
		return fmt.Errorf("no destination: pass REGISTRY/REPO[:TAG] after --, or set repository on the target")
	}
	workDir := os.Getenv("BUILD_WORKING_DIRECTORY")
	k, err := sign.ResolveKey(*key, workDir)
	if err != nil {
		return err
	}
	cosign, err := sign.FindCosign(*cosignFlag, workDir, os.Getenv, exec.LookPath)
	if err != nil {
		return err
	}
	src, err := sign.FindSource(os.Getenv("BUILD_WORKSPACE_DIRECTORY"), *uri, *revision, sign.RunGit)
	if err != nil {
		return err
	}
	if src.Dirty {
		fmt.Fprintf(stderr, "go_image_sign: warning: the workspace has uncommitted changes; the provenance records %s with dirty=true\n", src.Revision)
	}
	o := sign.Options{Layout: *dir, To: *to, Insecure: *insecure, Key: k, Cosign: cosign, Source: src, Stderr: stderr}
	for _, v := range images {
		parts := strings.Split(v, ",")
		if len(parts) != 3 {
			return fmt.Errorf("-image %q is not digest_file,sbom,provenance", v)
		}
		d, err := readLine("-image", parts[0])
		if err != nil {
			return err
		}
		o.Images = append(o.Images, sign.Image{Digest: d, SBOM: parts[1], Provenance: parts[2]})
	}
	ref, err := sign.Sign(context.Background(), o)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, ref)
	return nil
}
