// Package b's C code calls C that package a defines, also from a constructor (b.c): the link of
// b's _cgo_.o has an undefined symbol, which rules_go allows with
// -Wl,--unresolved-symbols=ignore-all (zig: see the launcher).
package b

// int b_quadruple(int x);
import "C"

import "github.com/rules-go-cross/rules_go_cross/tests/cgo_crosspkg/a"

// Quadruple multiplies x by 4 in b's C, through a's C; Twice is a's Go.
func Quadruple(x int) (int, int) { return int(C.b_quadruple(C.int(x))), a.Twice(x) }
