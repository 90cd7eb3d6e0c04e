// Command sizes prints one Markdown table row per image of the given OCI layouts (images or
// indexes): the base it was built on, the binary's size, the compressed app and base layers,
// the image total and what the base adds. Used by bench/run.
package main

import (
	"fmt"
	"os"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/layout"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/sizereport"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: sizes LAYOUT_DIR ...")
		os.Exit(2)
	}
	for _, dir := range os.Args[1:] {
		if err := rows(dir); err != nil {
			fmt.Fprintf(os.Stderr, "sizes: %s: %v\n", dir, err)
			os.Exit(1)
		}
	}
}

func rows(dir string) error {
	img, idx, err := layout.Read(dir)
	if err != nil {
		return err
	}
	if img != nil {
		return row(dir, "", img)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return err
	}
	for _, d := range im.Manifests {
		img, err := idx.Image(d.Digest)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("%s/%s", d.Platform.OS, d.Platform.Architecture)
		if d.Platform.Variant != "" {
			name += "/" + d.Platform.Variant
		}
		name += " libc=" + d.Annotations["io.rules_go_cross.libc"]
		if err := row(dir, name, img); err != nil {
			return err
		}
	}
	return nil
}

func row(dir, name string, img v1.Image) error {
	r, err := sizereport.Compute(img, -1, 1)
	if err != nil {
		return err
	}
	var binary int64
	if len(r.Largest) > 0 {
		binary = r.Largest[0].Bytes
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return err
	}
	// The base layer's history entry names its kind: "rules_go_cross imagetool base -kind K ...".
	base := "unknown (no imagetool base history entry)"
	if len(cfg.History) > 0 {
		if _, rest, ok := strings.Cut(cfg.History[0].CreatedBy, " base -kind "); ok {
			base, _, _ = strings.Cut(rest, " ")
		}
	}
	fmt.Printf("| %s %s | %s | %d | %d | %d | %d | %.0f KiB |\n", dir, name, base, binary,
		r.App.Compressed, r.Base.Compressed, r.Total.Compressed, float64(r.Base.Compressed)/1024)
	return nil
}
