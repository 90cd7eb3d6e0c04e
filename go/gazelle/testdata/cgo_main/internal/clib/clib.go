// Package clib calls C.
package clib

// static int answer(void) { return 42; }
import "C"

// Answer returns C's answer.
func Answer() int { return int(C.answer()) }
