// Package a defines C functions that package b's C code calls.
package a

// int a_twice(int x);
import "C"

// Twice doubles x in C.
func Twice(x int) int { return int(C.a_twice(C.int(x))) }
