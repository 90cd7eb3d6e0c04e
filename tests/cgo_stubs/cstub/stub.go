//go:build !cgo

package cstub

// Answer is what the stub says: the real package needs cgo.
func Answer() string { return "built without cgo: this is the stub" }
