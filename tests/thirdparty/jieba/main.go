//go:build cgo

// Command jieba segments Chinese text with github.com/yanyiwu/gojieba: C++ (cppjieba, a header
// library, and jieba.cpp) compiled inside the Go package, with the C++ runtime linked in.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/yanyiwu/gojieba"
)

func main() {
	if len(os.Args) != 6 {
		fmt.Fprintln(os.Stderr, "usage: jieba DICT HMM USER_DICT IDF STOP_WORDS")
		os.Exit(2)
	}
	x := gojieba.NewJieba(os.Args[1:]...)
	defer x.Free()
	words := x.Cut("我来到北京清华大学", true)
	fmt.Printf("%s on %s/%s\n", strings.Join(words, "/"), runtime.GOOS, runtime.GOARCH)
}
