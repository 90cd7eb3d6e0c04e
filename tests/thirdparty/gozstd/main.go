//go:build cgo

// Command gozstd compresses and decompresses with github.com/valyala/gozstd: zstd as a prebuilt
// static archive per libc and architecture, chosen by the musl build tag
// (#cgo LDFLAGS: ${SRCDIR}/libzstd_linux_<musl_>arch.a).
package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime"

	"github.com/valyala/gozstd"
)

func main() {
	in := bytes.Repeat([]byte("rules_go_cross "), 1000)
	c := gozstd.CompressLevel(nil, in, 3)
	out, err := gozstd.Decompress(nil, c)
	if err != nil || !bytes.Equal(in, out) {
		fmt.Fprintln(os.Stderr, "round trip failed:", err)
		os.Exit(1)
	}
	fmt.Printf("gozstd %d -> %d bytes and back on %s/%s\n", len(in), len(c), runtime.GOOS, runtime.GOARCH)
}
