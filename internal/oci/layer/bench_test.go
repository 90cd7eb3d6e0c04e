package layer_test

import (
	"bytes"
	stdgzip "compress/gzip"
	"fmt"
	"io"
	"os"
	"testing"

	kgzip "github.com/klauspost/compress/gzip"
)

// benchData is 20 MiB of Go binary (the test binary itself, repeated), the
// typical content of an application layer.
func benchData(b *testing.B) []byte {
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	bin, err := os.ReadFile(exe)
	if err != nil {
		b.Fatal(err)
	}
	const size = 20 << 20
	out := make([]byte, 0, size)
	for len(out) < size {
		out = append(out, bin[:min(len(bin), size-len(out))]...)
	}
	return out
}

// BenchmarkGzip compares gzip implementations and levels on a 20 MiB Go
// binary. Run with: go test -run '^$' -bench Gzip -benchtime 2x ./internal/oci/layer
func BenchmarkGzip(b *testing.B) {
	data := benchData(b)
	for _, tc := range []struct {
		name string
		new  func(io.Writer) io.WriteCloser
	}{
		{"stdlib-1", func(w io.Writer) io.WriteCloser { z, _ := stdgzip.NewWriterLevel(w, 1); return z }},
		{"stdlib-6", func(w io.Writer) io.WriteCloser { z, _ := stdgzip.NewWriterLevel(w, 6); return z }},
		{"stdlib-9", func(w io.Writer) io.WriteCloser { z, _ := stdgzip.NewWriterLevel(w, 9); return z }},
		{"klauspost-1", func(w io.Writer) io.WriteCloser { z, _ := kgzip.NewWriterLevel(w, 1); return z }},
		{"klauspost-6", func(w io.Writer) io.WriteCloser { z, _ := kgzip.NewWriterLevel(w, 6); return z }},
		{"klauspost-9", func(w io.Writer) io.WriteCloser { z, _ := kgzip.NewWriterLevel(w, 9); return z }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			var out bytes.Buffer
			for i := 0; i < b.N; i++ {
				out.Reset()
				w := tc.new(&out)
				w.Write(data)
				w.Close()
			}
			b.ReportMetric(float64(out.Len()), "bytes-out")
			b.Log(fmt.Sprintf("%s: %d -> %d bytes (%.1f%%)", tc.name, len(data), out.Len(), 100*float64(out.Len())/float64(len(data))))
		})
	}
}
