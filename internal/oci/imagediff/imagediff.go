// Package imagediff compares two OCI image layouts, typically the same image
// or index built twice for a reproducibility check, and explains where they
// differ: which index entry, which manifest field, which config fields (by
// JSON path) and, for a layer whose content differs, the first differing file
// in tar order.
//
// The walk is top-down and stops wherever the digests agree: equal top
// digests mean identical layouts; in an index only the entries whose
// manifests differ are opened; in an image only the layers whose digests
// differ are read.
package imagediff

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/imagebuild"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/imageindex"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/layout"
)

// MaxFields is how many differing JSON fields are kept per config or
// manifest; the rest are only counted.
const MaxFields = 20

// Result is the outcome of Compare.
type Result struct {
	// Same is true when both layouts list the same top digest.
	Same bool
	// Top is the comparison of the two top-level manifests.
	Top *Node
}

// Node compares one pair of manifests: two images, two indexes, or an index
// entry present on only one side.
type Node struct {
	// Kind is "image", "index", or "image vs index" when the two sides are
	// of different kinds (then nothing below is compared).
	Kind string
	// Label names an index entry: its platform and libc, e.g.
	// "linux/arm64/v8 (libc=musl)"; empty for the top node.
	Label string
	// A and B are the manifest digests; the zero Hash when the entry exists
	// on one side only (see Only).
	A, B v1.Hash
	// Only is "a" or "b" for an index entry present on that side only.
	Only string
	// Notes are differences that are not JSON fields or layers: manifest
	// counts, entry order, entries present on one side only, encodings.
	Notes []string
	// Descriptor lists how an index entry's descriptors differ (platform,
	// annotations, media type), without digest and size.
	Descriptor Fields
	// Manifest lists how the manifests differ (annotations, media types,
	// ...), without the config and layer digests and sizes, which Config
	// and Layers explain; for an index, without its manifests list, which
	// Notes and Children explain.
	Manifest Fields
	// Config lists how the image configs differ.
	Config Fields
	// Layers lists the layers that differ.
	Layers []LayerDiff
	// Children are the index entries that differ, in the order of a.
	Children []*Node
}

// Fields are differing JSON fields: the first MaxFields of them and how many
// there are in all.
type Fields struct {
	Diffs []FieldDiff
	Total int
}

// FieldDiff is one differing JSON field.
type FieldDiff struct {
	// Path is the field's path, e.g. config.Env[1], created,
	// rootfs.diff_ids[1], history[2].created_by or
	// annotations["org.opencontainers.image.title"].
	Path string
	// A and B are the values as compact JSON (shortened when long), or
	// "<missing>".
	A, B string
}

// LayerDiff describes one layer position whose digests differ.
type LayerDiff struct {
	// Index is the layer's position (0 is the bottom layer).
	Index int
	// Role is "base" or "app" when the manifest records how many layers
	// come from the base (io.rules_go_cross.base.layers), else empty.
	Role string
	// A and B are the compressed digests, DiffIDA and DiffIDB the
	// uncompressed ones; zero on a side that has no layer at Index.
	A, B             v1.Hash
	DiffIDA, DiffIDB v1.Hash
	// Only is "a" or "b" when only that side has a layer at Index.
	Only string
	// SameContent is true when the diff_ids agree: only the compression
	// differs.
	SameContent bool
	// File is the first differing tar entry when the content differs.
	File *FileDiff
}

// FileDiff is the first differing entry of two layer tars.
type FileDiff struct {
	// Name is the entry's name as the tar records it.
	Name string
	// What lists what differs, e.g. "mode 0644 vs 0755" or "missing in b".
	What []string
	// More is how many further entries differ.
	More int
}

// Compare compares the OCI layouts in directories a and b, each holding one
// image or one index (as layout.Read reads them).
func Compare(a, b string) (*Result, error) {
	imgA, idxA, err := layout.Read(a)
	if err != nil {
		return nil, err
	}
	imgB, idxB, err := layout.Read(b)
	if err != nil {
		return nil, err
	}
	var ma, mb manifest = imgA, imgB
	if imgA == nil {
		ma = idxA
	}
	if imgB == nil {
		mb = idxB
	}
	n, err := compareManifests(ma, mb)
	if err != nil {
		return nil, err
	}
	return &Result{Same: n.A == n.B && n.Kind != "image vs index", Top: n}, nil
}

// manifest is what v1.Image and v1.ImageIndex have in common.
type manifest interface {
	Digest() (v1.Hash, error)
	RawManifest() ([]byte, error)
}

func kind(m manifest) string {
	if _, ok := m.(v1.ImageIndex); ok {
		return "index"
	}
	return "image"
}

// both calls read on a and then on b, the same read of the two sides of a comparison, and
// returns the first error.
func both[S, T any](a, b S, read func(S) (T, error)) (ta, tb T, err error) {
	if ta, err = read(a); err != nil {
		return ta, tb, err
	}
	tb, err = read(b)
	return ta, tb, err
}

// compareManifests compares two images or two indexes.
func compareManifests(a, b manifest) (*Node, error) {
	da, db, err := both(a, b, manifest.Digest)
	if err != nil {
		return nil, err
	}
	n := &Node{Kind: kind(a), A: da, B: db}
	if kind(a) != kind(b) {
		n.Kind = "image vs index"
		if kind(a) == "index" {
			n.Kind = "index vs image"
		}
		return n, nil
	}
	if da == db {
		return n, nil
	}
	if n.Kind == "index" {
		err = compareIndexes(n, a.(v1.ImageIndex), b.(v1.ImageIndex))
	} else {
		err = compareImages(n, a.(v1.Image), b.(v1.Image))
	}
	return n, err
}

// decode unmarshals raw JSON keeping numbers as written.
func decode(raw []byte) (any, error) {
	d := json.NewDecoder(strings.NewReader(string(raw)))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// diffRaw compares two JSON documents, leaving out the paths skip accepts.
func diffRaw(a, b []byte, skip func(path string) bool) (Fields, error) {
	va, err := decode(a)
	if err != nil {
		return Fields{}, err
	}
	vb, err := decode(b)
	if err != nil {
		return Fields{}, err
	}
	var f Fields
	diffJSON("", va, vb, skip, &f)
	return f, nil
}

// missing marks a field absent on one side.
type missingT struct{}

var missing = missingT{}

func diffJSON(path string, a, b any, skip func(string) bool, f *Fields) {
	if skip != nil && skip(path) {
		return
	}
	ma, aIsMap := a.(map[string]any)
	mb, bIsMap := b.(map[string]any)
	if aIsMap && bIsMap {
		keys := map[string]bool{}
		for k := range ma {
			keys[k] = true
		}
		for k := range mb {
			keys[k] = true
		}
		var sorted []string
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			va, ok := ma[k]
			if !ok {
				va = missing
			}
			vb, ok := mb[k]
			if !ok {
				vb = missing
			}
			diffJSON(keyPath(path, k), va, vb, skip, f)
		}
		return
	}
	sa, aIsList := a.([]any)
	sb, bIsList := b.([]any)
	if aIsList && bIsList {
		for i := 0; i < max(len(sa), len(sb)); i++ {
			var va, vb any = missing, missing
			if i < len(sa) {
				va = sa[i]
			}
			if i < len(sb) {
				vb = sb[i]
			}
			diffJSON(fmt.Sprintf("%s[%d]", path, i), va, vb, skip, f)
		}
		return
	}
	if !aIsMap && !bIsMap && !aIsList && !bIsList && a == b {
		return
	}
	f.Total++
	if len(f.Diffs) < MaxFields {
		f.Diffs = append(f.Diffs, FieldDiff{Path: path, A: jsonValue(a), B: jsonValue(b)})
	}
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func keyPath(path, k string) string {
	if !isIdent(k) {
		return path + "[" + strconv.Quote(k) + "]"
	}
	if path == "" {
		return k
	}
	return path + "." + k
}

// jsonValue renders a value as compact JSON, shortened past 120 bytes.
func jsonValue(v any) string {
	if v == missing {
		return "<missing>"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(b)
	if len(s) > 120 {
		s = s[:117] + "…"
	}
	return s
}

// compareImages fills n for two images whose digests differ.
func compareImages(n *Node, a, b v1.Image) error {
	rawA, rawB, err := both(a, b, v1.Image.RawManifest)
	if err != nil {
		return err
	}
	// Config and layer digests are explained below, not as manifest fields.
	if n.Manifest, err = diffRaw(rawA, rawB, explainedImageField); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	cnA, cnB, err := both(a, b, v1.Image.ConfigName)
	if err != nil {
		return err
	}
	if cnA != cnB {
		cfgA, cfgB, err := both(a, b, v1.Image.RawConfigFile)
		if err != nil {
			return err
		}
		if n.Config, err = diffRaw(cfgA, cfgB, nil); err != nil {
			return fmt.Errorf("config: %w", err)
		}
		if n.Config.Total == 0 {
			n.Notes = append(n.Notes, fmt.Sprintf("config differs: same JSON fields, different encoding (%s vs %s)", cnA, cnB))
		}
	}
	layers, err := compareLayers(a, b)
	if err != nil {
		return err
	}
	n.Layers = layers
	if n.Manifest.Total == 0 && cnA == cnB && len(layers) == 0 {
		n.Notes = append(n.Notes, "manifest differs: same JSON fields, different encoding")
	}
	return nil
}

func explainedImageField(path string) bool {
	if path == "config.digest" || path == "config.size" {
		return true
	}
	rest, ok := strings.CutPrefix(path, "layers[")
	if !ok {
		return false
	}
	i := strings.IndexByte(rest, ']')
	if i < 0 {
		return false
	}
	if _, err := strconv.Atoi(rest[:i]); err != nil {
		return false
	}
	switch rest[i+1:] {
	case "", ".digest", ".size":
		return true
	}
	return false
}

// layerRoles returns each layer's role from the base layers annotation.
func layerRoles(img v1.Image, n int) []string {
	roles := make([]string, n)
	m, err := img.Manifest()
	if err != nil {
		return roles
	}
	s, ok := m.Annotations[imagebuild.BaseLayersAnnotation]
	if !ok {
		return roles
	}
	base, err := strconv.Atoi(s)
	if err != nil || base < 0 {
		return roles
	}
	for i := range roles {
		roles[i] = "app"
		if i < base {
			roles[i] = "base"
		}
	}
	return roles
}

func compareLayers(a, b v1.Image) ([]LayerDiff, error) {
	la, lb, err := both(a, b, v1.Image.Layers)
	if err != nil {
		return nil, err
	}
	count := max(len(la), len(lb))
	roles := layerRoles(a, count)
	if len(lb) > len(la) {
		roles = layerRoles(b, count)
	}
	var out []LayerDiff
	for i := 0; i < count; i++ {
		d := LayerDiff{Index: i, Role: roles[i]}
		if i < len(la) {
			if d.A, err = la[i].Digest(); err != nil {
				return nil, err
			}
			if d.DiffIDA, err = la[i].DiffID(); err != nil {
				return nil, err
			}
		} else {
			d.Only = "b"
		}
		if i < len(lb) {
			if d.B, err = lb[i].Digest(); err != nil {
				return nil, err
			}
			if d.DiffIDB, err = lb[i].DiffID(); err != nil {
				return nil, err
			}
		} else {
			d.Only = "a"
		}
		switch {
		case d.Only != "":
		case d.A == d.B:
			continue
		case d.DiffIDA == d.DiffIDB:
			d.SameContent = true
		default:
			if d.File, err = compareTars(la[i], lb[i]); err != nil {
				return nil, fmt.Errorf("layer %d: %w", i, err)
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// entryKey identifies an index entry by its platform (os/arch/variant) and
// libc annotation, e.g. "linux/arm64/v8 (libc=musl)"; an entry without a
// platform by its position.
func entryKey(d v1.Descriptor, pos int) string {
	if d.Platform == nil {
		return fmt.Sprintf("entry %d (no platform)", pos)
	}
	p := d.Platform
	key := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		key += "/" + p.Variant
	}
	if libc, ok := d.Annotations[imageindex.LibcAnnotation]; ok {
		key += " (libc=" + libc + ")"
	}
	return key
}

type keyedDesc struct {
	key  string
	desc v1.Descriptor
}

// keyed lists an index's entries with unique keys (a repeated key gets a
// " #2" suffix).
func keyed(m *v1.IndexManifest) ([]keyedDesc, map[string]int) {
	var out []keyedDesc
	pos := map[string]int{}
	seen := map[string]int{}
	for i, d := range m.Manifests {
		k := entryKey(d, i)
		seen[k]++
		if seen[k] > 1 {
			k = fmt.Sprintf("%s #%d", k, seen[k])
		}
		pos[k] = len(out)
		out = append(out, keyedDesc{k, d})
	}
	return out, pos
}

// compareIndexes fills n for two indexes whose digests differ.
func compareIndexes(n *Node, a, b v1.ImageIndex) error {
	rawA, rawB, err := both(a, b, v1.ImageIndex.RawManifest)
	if err != nil {
		return err
	}
	n.Manifest, err = diffRaw(rawA, rawB, func(p string) bool { return strings.HasPrefix(p, "manifests") })
	if err != nil {
		return fmt.Errorf("index manifest: %w", err)
	}
	ma, mb, err := both(a, b, v1.ImageIndex.IndexManifest)
	if err != nil {
		return err
	}
	if len(ma.Manifests) != len(mb.Manifests) {
		n.Notes = append(n.Notes, fmt.Sprintf("manifests: %d vs %d", len(ma.Manifests), len(mb.Manifests)))
	}
	ka, posA := keyed(ma)
	kb, posB := keyed(mb)
	var orderA, orderB []string
	for _, e := range ka {
		if _, ok := posB[e.key]; ok {
			orderA = append(orderA, e.key)
		}
	}
	for _, e := range kb {
		if _, ok := posA[e.key]; ok {
			orderB = append(orderB, e.key)
		}
	}
	if strings.Join(orderA, "\x00") != strings.Join(orderB, "\x00") {
		n.Notes = append(n.Notes, fmt.Sprintf("manifest order differs: [%s] vs [%s]", strings.Join(orderA, ", "), strings.Join(orderB, ", ")))
	}
	for _, ea := range ka {
		j, ok := posB[ea.key]
		if !ok {
			n.Children = append(n.Children, &Node{Kind: kindOf(ea.desc), Label: ea.key, A: ea.desc.Digest, Only: "a"})
			continue
		}
		eb := kb[j]
		child, err := compareEntries(a, b, ea.desc, eb.desc)
		if err != nil {
			return fmt.Errorf("%s: %w", ea.key, err)
		}
		child.Label = ea.key
		if child.A != child.B || child.Descriptor.Total > 0 || child.Kind != kindOf(ea.desc) {
			n.Children = append(n.Children, child)
		}
	}
	for _, eb := range kb {
		if _, ok := posA[eb.key]; !ok {
			n.Children = append(n.Children, &Node{Kind: kindOf(eb.desc), Label: eb.key, B: eb.desc.Digest, Only: "b"})
		}
	}
	if len(n.Notes) == 0 && len(n.Children) == 0 && n.Manifest.Total == 0 {
		n.Notes = append(n.Notes, "index manifest differs: same JSON fields, different encoding")
	}
	return nil
}

func kindOf(d v1.Descriptor) string {
	if d.MediaType.IsIndex() {
		return "index"
	}
	return "image"
}

// compareEntries compares two matched index entries.
func compareEntries(a, b v1.ImageIndex, da, db v1.Descriptor) (*Node, error) {
	rawA, rawB, err := both(da, db, func(d v1.Descriptor) ([]byte, error) { return json.Marshal(d) })
	if err != nil {
		return nil, err
	}
	desc, err := diffRaw(rawA, rawB, func(p string) bool { return p == "digest" || p == "size" })
	if err != nil {
		return nil, err
	}
	var n *Node
	if da.Digest == db.Digest {
		n = &Node{Kind: kindOf(da), A: da.Digest, B: db.Digest}
	} else {
		ca, err := child(a, da)
		if err != nil {
			return nil, err
		}
		cb, err := child(b, db)
		if err != nil {
			return nil, err
		}
		if n, err = compareManifests(ca, cb); err != nil {
			return nil, err
		}
	}
	n.Descriptor = desc
	return n, nil
}

func child(idx v1.ImageIndex, d v1.Descriptor) (manifest, error) {
	switch {
	case d.MediaType.IsIndex():
		return idx.ImageIndex(d.Digest)
	case d.MediaType.IsImage():
		return idx.Image(d.Digest)
	}
	return nil, fmt.Errorf("entry %s has unsupported media type %s", d.Digest, d.MediaType)
}

// Report writes the result for people: "same: <digest>" or the tree of
// differences, one finding per line.
func (r *Result) Report(w io.Writer) error {
	ew := &errWriter{w: w}
	if r.Same {
		ew.printf("same: %s\n", r.Top.A)
		return ew.err
	}
	r.Top.report(ew, "")
	return ew.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

func (n *Node) report(w *errWriter, indent string) {
	switch {
	case n.Only != "":
		d := n.A
		if n.Only == "b" {
			d = n.B
		}
		w.printf("%s%s: only in %s (%s %s)\n", indent, n.Label, n.Only, n.manifestWord(), d)
		return
	case n.Label == "":
		w.printf("%s%s: %s vs %s\n", indent, n.Kind, n.A, n.B)
	case n.A == n.B:
		w.printf("%s%s: same %s %s\n", indent, n.Label, n.manifestWord(), n.A)
	default:
		w.printf("%s%s: %s %s vs %s\n", indent, n.Label, n.manifestWord(), n.A, n.B)
	}
	in := indent + "  "
	for _, s := range n.Notes {
		w.printf("%s%s\n", in, s)
	}
	n.Descriptor.report(w, in, "descriptor differs")
	prefix := "manifest differs"
	if n.Kind == "index" {
		prefix = "index manifest differs"
	}
	n.Manifest.report(w, in, prefix)
	n.Config.report(w, in, "config differs")
	for _, l := range n.Layers {
		w.printf("%s%s\n", in, l.String())
	}
	for _, c := range n.Children {
		c.report(w, in)
	}
}

func (n *Node) manifestWord() string {
	switch n.Kind {
	case "image":
		return "manifest"
	case "index":
		return "index"
	}
	return n.Kind
}

func (f Fields) report(w *errWriter, indent, prefix string) {
	for _, d := range f.Diffs {
		w.printf("%s%s: %s: %s vs %s\n", indent, prefix, d.Path, d.A, d.B)
	}
	if more := f.Total - len(f.Diffs); more > 0 {
		w.printf("%s%s: ... and %d more fields\n", indent, prefix, more)
	}
}

// String describes the layer difference on one line.
func (l LayerDiff) String() string {
	name := fmt.Sprintf("layer %d", l.Index)
	if l.Role != "" {
		name += " (" + l.Role + ")"
	}
	switch {
	case l.Only == "a":
		return fmt.Sprintf("%s only in a: %s (diff_id %s)", name, l.A, l.DiffIDA)
	case l.Only == "b":
		return fmt.Sprintf("%s only in b: %s (diff_id %s)", name, l.B, l.DiffIDB)
	case l.SameContent:
		return fmt.Sprintf("%s differs: same content, different compression (%s vs %s, diff_id %s)", name, l.A, l.B, l.DiffIDA)
	case l.File == nil:
		return fmt.Sprintf("%s differs: diff_id %s vs %s", name, l.DiffIDA, l.DiffIDB)
	}
	return fmt.Sprintf("%s differs: %s", name, l.File.String())
}

// String describes the file difference, e.g. "first differing file
// app/hello: mode 0644 vs 0755".
func (f *FileDiff) String() string {
	if f.Name == "" {
		return strings.Join(f.What, "; ")
	}
	s := fmt.Sprintf("first differing file %s: %s", f.Name, strings.Join(f.What, "; "))
	if f.More == 1 {
		s += "; 1 more entry differs"
	} else if f.More > 1 {
		s += fmt.Sprintf("; %d more entries differ", f.More)
	}
	return s
}
