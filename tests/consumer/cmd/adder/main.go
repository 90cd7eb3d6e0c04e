// Command adder adds with C (through internal/cadd): its images are for the musl and glibc
// platforms.
package main

import (
	"fmt"

	"example.com/consumer/internal/cadd"
)

func main() { fmt.Println("2 + 3 =", cadd.Add(2, 3)) }
