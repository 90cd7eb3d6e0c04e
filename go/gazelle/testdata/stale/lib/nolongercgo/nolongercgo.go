// Package nolongercgo used to call C.
package nolongercgo

// Answer is the answer.
func Answer() int { return 42 }
