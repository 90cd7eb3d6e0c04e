// Package sizereport summarises where an image's bytes are: each layer's
// compressed and uncompressed size, the largest files of the final
// filesystem, and the share of the application layers versus the base.
package sizereport

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/imagebuild"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/rootfs"
)

// Layer is one layer's sizes.
type Layer struct {
	Index        int    `json:"index"`
	Digest       string `json:"digest"`
	Compressed   int64  `json:"compressed_bytes"`
	Uncompressed int64  `json:"uncompressed_bytes"`
	Base         bool   `json:"base"`
	CreatedBy    string `json:"created_by,omitempty"`
}

// File is one of the largest files.
type File struct {
	Path  string `json:"path"`
	Bytes int64  `json:"bytes"`
	Layer int    `json:"layer"`
}

// Totals sums layer sizes.
type Totals struct {
	Compressed   int64 `json:"compressed_bytes"`
	Uncompressed int64 `json:"uncompressed_bytes"`
}

// Report is the size report of an image.
type Report struct {
	Digest     string  `json:"digest"`
	BaseLayers int     `json:"base_layers"`
	Layers     []Layer `json:"layers"`
	Base       Totals  `json:"base"`
	App        Totals  `json:"app"`
	Total      Totals  `json:"total"`
	// AppShare is App/Total in percent, compressed and uncompressed.
	AppShareCompressed   float64 `json:"app_share_compressed_percent"`
	AppShareUncompressed float64 `json:"app_share_uncompressed_percent"`
	Largest              []File  `json:"largest_files"`
	// BaseKnown is false when the image records no base layer count and
	// none was given; all layers then count as application layers.
	BaseKnown bool `json:"base_known"`
}

// Compute builds the report. baseLayers < 0 reads the count from the
// io.rules_go_cross.base.layers manifest annotation written by
// `imagetool image`.
func Compute(img v1.Image, baseLayers, largest int) (*Report, error) {
	layers, err := img.Layers()
	if err != nil {
		return nil, err
	}
	d, err := img.Digest()
	if err != nil {
		return nil, err
	}
	r := &Report{Digest: d.String(), BaseKnown: baseLayers >= 0}
	if baseLayers < 0 {
		m, err := img.Manifest()
		if err != nil {
			return nil, err
		}
		if s, ok := m.Annotations[imagebuild.BaseLayersAnnotation]; ok {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 || n > len(layers) {
				return nil, fmt.Errorf("manifest annotation %s=%q is not a layer count between 0 and %d", imagebuild.BaseLayersAnnotation, s, len(layers))
			}
			baseLayers, r.BaseKnown = n, true
		} else {
			baseLayers = 0
		}
	}
	if baseLayers > len(layers) {
		return nil, fmt.Errorf("-base-layers %d, but the image has only %d layers", baseLayers, len(layers))
	}
	r.BaseLayers = baseLayers
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	var history []v1.History
	for _, h := range cfg.History {
		if !h.EmptyLayer {
			history = append(history, h)
		}
	}
	for i, l := range layers {
		ld, err := l.Digest()
		if err != nil {
			return nil, err
		}
		cs, err := l.Size()
		if err != nil {
			return nil, err
		}
		us, err := uncompressedSize(l)
		if err != nil {
			return nil, fmt.Errorf("layer %d (%s): %w", i, ld, err)
		}
		li := Layer{Index: i, Digest: ld.String(), Compressed: cs, Uncompressed: us, Base: i < baseLayers}
		if i < len(history) {
			li.CreatedBy = history[i].CreatedBy
		}
		r.Layers = append(r.Layers, li)
		t := &r.App
		if li.Base {
			t = &r.Base
		}
		t.Compressed += cs
		t.Uncompressed += us
		r.Total.Compressed += cs
		r.Total.Uncompressed += us
	}
	r.AppShareCompressed = percent(r.App.Compressed, r.Total.Compressed)
	r.AppShareUncompressed = percent(r.App.Uncompressed, r.Total.Uncompressed)
	fs, err := rootfs.Flatten(layers)
	if err != nil {
		return nil, err
	}
	for _, n := range fs.Largest(largest) {
		r.Largest = append(r.Largest, File{Path: n.Path, Bytes: n.Size, Layer: n.Layer})
	}
	return r, nil
}

type sizer interface{ UncompressedSize() (int64, error) }

func uncompressedSize(l v1.Layer) (int64, error) {
	if s, ok := l.(sizer); ok {
		return s.UncompressedSize()
	}
	rc, err := l.Uncompressed()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	return io.Copy(io.Discard, rc)
}

func percent(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(int64(float64(a)*10000/float64(b)+0.5)) / 100
}

// JSON renders the report as indented JSON.
func (r *Report) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	return append(b, '\n'), err
}

// WriteText renders the report for people.
func (r *Report) WriteText(w io.Writer) error {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("image %s\n\n", r.Digest)
	p("%-5s %-5s %22s %22s  %s\n", "layer", "part", "compressed", "uncompressed", "digest")
	for _, l := range r.Layers {
		part := "app"
		if l.Base {
			part = "base"
		}
		p("%-5d %-5s %22s %22s  %s\n", l.Index, part, human(l.Compressed), human(l.Uncompressed), l.Digest)
	}
	p("\n%-11s %22s %22s\n", "", "compressed", "uncompressed")
	p("%-11s %22s %22s\n", "base", human(r.Base.Compressed), human(r.Base.Uncompressed))
	p("%-11s %22s %22s\n", "app", human(r.App.Compressed), human(r.App.Uncompressed))
	p("%-11s %22s %22s\n", "total", human(r.Total.Compressed), human(r.Total.Uncompressed))
	p("%-11s %21.2f%% %21.2f%%\n", "app share", r.AppShareCompressed, r.AppShareUncompressed)
	if !r.BaseKnown {
		p("(the image records no base layer count; all layers are counted as app; pass -base-layers N)\n")
	}
	p("\nlargest files:\n")
	for _, f := range r.Largest {
		p("%22s  layer %-3d %s\n", human(f.Bytes), f.Layer, f.Path)
	}
	return nil
}

// human renders a byte count exactly and in binary units.
func human(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d (%.1f MiB)", n, float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d (%.1f KiB)", n, float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
