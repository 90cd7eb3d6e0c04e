package main

import (
	"fmt"

	"example.com/stale/lib/nolongercgo"
)

func main() { fmt.Println(nolongercgo.Answer()) }
