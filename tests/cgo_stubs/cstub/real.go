//go:build cgo

package cstub

// #include "answer.h"
import "C"

// Answer is what the C code says.
func Answer() string { return C.GoString(C.answer()) }
