// Command hello is pure Go: its images are for linux_amd64 and linux_arm64.
package main

import (
	"fmt"
	"runtime"

	"example.com/consumer/internal/greet"
)

func main() { fmt.Println(greet.Hello(runtime.GOOS + "/" + runtime.GOARCH)) }
