package main

import (
	"fmt"

	"example.com/cgo/internal/clib"
)

func main() { fmt.Println(clib.Answer()) }
