// Package greet writes a greeting.
package greet

import (
	"fmt"
	"io"
)

// Write writes the greeting to w.
func Write(w io.Writer) { fmt.Fprintln(w, "hello") }
