//go:build cgo

// Command app prints what b's C computes through a's C.
package main

import (
	"fmt"

	"github.com/rules-go-cross/rules_go_cross/tests/cgo_crosspkg/b"
)

func main() {
	q, t := b.Quadruple(5)
	fmt.Printf("quadruple(5) = %d, twice(5) = %d\n", q, t)
}
