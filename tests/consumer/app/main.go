// Command app is a user's program, cross-built through rules_go_cross's platforms.
package main

import (
	"fmt"
	"runtime"
)

func main() {
	fmt.Printf("consumer app on %s/%s\n", runtime.GOOS, runtime.GOARCH)
}
