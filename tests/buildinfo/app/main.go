// Command app prints the module information runtime/debug reads from its own binary.
package main

import (
	"fmt"
	"os"
	"runtime/debug"
)

func main() {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintln(os.Stderr, "app: no build information in this binary")
		os.Exit(1)
	}
	fmt.Printf("path %s\nmod %s %s\n", info.Path, info.Main.Path, info.Main.Version)
	for _, d := range info.Deps {
		fmt.Printf("dep %s %s %s\n", d.Path, d.Version, d.Sum)
	}
}
