// Package wasmain was a command.
package wasmain

// Run runs.
func Run() {}
