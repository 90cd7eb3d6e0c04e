// Package greet makes greetings.
package greet

// Hello greets where.
func Hello(where string) string { return "hello from " + where }
