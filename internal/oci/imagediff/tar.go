package imagediff

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/google/go-containerregistry/pkg/v1"
)

// entry is one tar entry with its content's checksum.
type entry struct {
	key string // the name, with " #2" etc. for repeated names
	pos int
	hdr *tar.Header
	sum string // hex sha256 of the content
}

// readTar reads the uncompressed layer's entries in order.
func readTar(l v1.Layer) ([]*entry, error) {
	rc, err := l.Uncompressed()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	seen := map[string]int{}
	var out []*entry
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil && !(errors.Is(err, tar.ErrInsecurePath) && h != nil) {
			return nil, fmt.Errorf("reading tar entry %d: %w", len(out), err)
		}
		sum := sha256.New()
		if _, err := io.Copy(sum, tr); err != nil {
			return nil, fmt.Errorf("reading %s: %w", h.Name, err)
		}
		seen[h.Name]++
		key := h.Name
		if seen[h.Name] > 1 {
			key = fmt.Sprintf("%s #%d", h.Name, seen[h.Name])
		}
		out = append(out, &entry{key: key, pos: len(out), hdr: h, sum: hex.EncodeToString(sum.Sum(nil))})
	}
	return out, nil
}

// compareTars returns the first differing entry of two layers, in tar order:
// the differing entry that comes first in either tar.
func compareTars(a, b v1.Layer) (*FileDiff, error) {
	ea, err := readTar(a)
	if err != nil {
		return nil, fmt.Errorf("a: %w", err)
	}
	eb, err := readTar(b)
	if err != nil {
		return nil, fmt.Errorf("b: %w", err)
	}
	byA, byB := byKey(ea), byKey(eb)
	type found struct {
		pos  int
		name string
		what []string
	}
	var diffs []found
	for _, e := range ea {
		o, ok := byB[e.key]
		if !ok {
			diffs = append(diffs, found{e.pos, e.key, []string{"missing in b"}})
			continue
		}
		if what := entryDiff(e, o); len(what) > 0 {
			diffs = append(diffs, found{min(e.pos, o.pos), e.key, what})
		}
	}
	for _, e := range eb {
		if _, ok := byA[e.key]; !ok {
			diffs = append(diffs, found{e.pos, e.key, []string{"missing in a"}})
		}
	}
	if len(diffs) == 0 {
		for i := 0; i < min(len(ea), len(eb)); i++ {
			if ea[i].key != eb[i].key {
				return &FileDiff{What: []string{fmt.Sprintf("same entries in a different order: entry %d is %s vs %s", i, ea[i].key, eb[i].key)}}, nil
			}
		}
		return &FileDiff{What: []string{"same entries; the tar streams differ in encoding (header format, padding or trailer)"}}, nil
	}
	sort.SliceStable(diffs, func(i, j int) bool { return diffs[i].pos < diffs[j].pos })
	return &FileDiff{Name: diffs[0].name, What: diffs[0].what, More: len(diffs) - 1}, nil
}

func byKey(es []*entry) map[string]*entry {
	m := map[string]*entry{}
	for _, e := range es {
		m[e.key] = e
	}
	return m
}

var typeNames = map[byte]string{
	tar.TypeReg: "file", '\x00': "file", tar.TypeLink: "hardlink", tar.TypeSymlink: "symlink",
	tar.TypeChar: "char device", tar.TypeBlock: "block device", tar.TypeDir: "dir", tar.TypeFifo: "fifo",
	tar.TypeCont: "contiguous file", tar.TypeGNUSparse: "sparse file",
}

func typeName(t byte) string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return fmt.Sprintf("type %q", t)
}

func short(sum string) string { return sum[:12] + "…" }

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "<none>"
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// paxFields are PAX keys that tar.Header fields already hold.
var paxFields = map[string]bool{
	"path": true, "linkpath": true, "size": true, "uid": true, "gid": true,
	"uname": true, "gname": true, "mtime": true, "atime": true, "ctime": true,
}

// entryDiff lists what differs between two entries of the same name.
func entryDiff(a, b *entry) []string {
	ha, hb := a.hdr, b.hdr
	var d []string
	if ta, tb := typeName(ha.Typeflag), typeName(hb.Typeflag); ta != tb {
		d = append(d, fmt.Sprintf("type %s vs %s", ta, tb))
	}
	if ha.Mode != hb.Mode {
		d = append(d, fmt.Sprintf("mode %04o vs %04o", ha.Mode, hb.Mode))
	}
	if ha.Uid != hb.Uid || ha.Gid != hb.Gid {
		d = append(d, fmt.Sprintf("uid/gid %d:%d vs %d:%d", ha.Uid, ha.Gid, hb.Uid, hb.Gid))
	}
	if ha.Uname != hb.Uname || ha.Gname != hb.Gname {
		d = append(d, fmt.Sprintf("uname/gname %q:%q vs %q:%q", ha.Uname, ha.Gname, hb.Uname, hb.Gname))
	}
	if ha.Linkname != hb.Linkname {
		d = append(d, fmt.Sprintf("linkname %q vs %q", ha.Linkname, hb.Linkname))
	}
	if a.sum != b.sum || ha.Size != hb.Size {
		d = append(d, fmt.Sprintf("content sha256 %s vs %s (size %d vs %d)", short(a.sum), short(b.sum), ha.Size, hb.Size))
	}
	if !ha.ModTime.Equal(hb.ModTime) {
		d = append(d, fmt.Sprintf("mtime %s vs %s", formatTime(ha.ModTime), formatTime(hb.ModTime)))
	}
	if !ha.AccessTime.Equal(hb.AccessTime) {
		d = append(d, fmt.Sprintf("atime %s vs %s", formatTime(ha.AccessTime), formatTime(hb.AccessTime)))
	}
	if !ha.ChangeTime.Equal(hb.ChangeTime) {
		d = append(d, fmt.Sprintf("ctime %s vs %s", formatTime(ha.ChangeTime), formatTime(hb.ChangeTime)))
	}
	if ha.Devmajor != hb.Devmajor || ha.Devminor != hb.Devminor {
		d = append(d, fmt.Sprintf("device %d,%d vs %d,%d", ha.Devmajor, ha.Devminor, hb.Devmajor, hb.Devminor))
	}
	d = append(d, paxDiff(ha.PAXRecords, hb.PAXRecords)...)
	if len(d) == 0 && ha.Format != hb.Format {
		d = append(d, fmt.Sprintf("tar header format %s vs %s", ha.Format, hb.Format))
	}
	return d
}

func paxDiff(a, b map[string]string) []string {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var sorted []string
	for k := range keys {
		if !paxFields[k] {
			sorted = append(sorted, k)
		}
	}
	sort.Strings(sorted)
	var d []string
	for _, k := range sorted {
		va, okA := a[k]
		vb, okB := b[k]
		if okA == okB && va == vb {
			continue
		}
		d = append(d, fmt.Sprintf("PAX record %s %s vs %s", k, paxValue(va, okA), paxValue(vb, okB)))
	}
	return d
}

func paxValue(v string, ok bool) string {
	if !ok {
		return "<missing>"
	}
	if len(v) > 60 {
		v = v[:57] + "…"
	}
	return strconv.Quote(v)
}
