// Command app prints whether it was compiled with the musl build tag, which rules_go_cross sets
// on its musl platforms (and only there).
package main

import (
	"fmt"
	"runtime"
)

func main() { fmt.Printf("musl tag %v on %s/%s\n", muslTag, runtime.GOOS, runtime.GOARCH) }
