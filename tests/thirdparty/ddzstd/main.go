//go:build cgo

// Command ddzstd compresses with github.com/DataDog/zstd: zstd's C sources and an x86-64
// assembly file (huf_decompress_amd64.S) compiled by the C toolchain, multithreaded with
// pthreads (ZSTD_MULTITHREAD).
package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime"

	"github.com/DataDog/zstd"
)

func main() {
	in := bytes.Repeat([]byte("rules_go_cross "), 100000)
	var buf bytes.Buffer
	w := zstd.NewWriterLevel(&buf, 3)
	// Workers compress in threads of zstd's own (pthread_create).
	if err := w.SetNbWorkers(2); err != nil {
		fmt.Fprintln(os.Stderr, "workers:", err)
		os.Exit(1)
	}
	if _, err := w.Write(in); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := w.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, err := zstd.Decompress(nil, buf.Bytes())
	if err != nil || !bytes.Equal(in, out) {
		fmt.Fprintln(os.Stderr, "round trip failed:", err)
		os.Exit(1)
	}
	fmt.Printf("DataDog/zstd %d -> %d bytes with 2 workers and back on %s/%s\n", len(in), buf.Len(), runtime.GOOS, runtime.GOARCH)
}
