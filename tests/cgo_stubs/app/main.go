// Command app imports a package with C code; built with cgo off it gets that package's stub.
package main

import (
	"fmt"

	"github.com/rules-go-cross/rules_go_cross/tests/cgo_stubs/cstub"
)

func main() { fmt.Println(cstub.Answer()) }
