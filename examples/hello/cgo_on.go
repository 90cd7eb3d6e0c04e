//go:build cgo

package main

// cgoEnabled reports whether this binary was built with cgo on (the cgo build tag).
const cgoEnabled = true
