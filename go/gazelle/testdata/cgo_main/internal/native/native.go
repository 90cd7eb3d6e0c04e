// Package native is linked with a C library by its BUILD file (cdeps).
package native

// Use does nothing; the C library comes with the package.
func Use() {}
