// Command update_table writes platforms/private/platforms.bzl, the
// Starlark form of the platform table (platforms/platform) and of
// go/linkmode's base kinds:
//
//	tools/bazel run //platforms:update_table
//	go run ./platforms/private/update_table     # from the module root
//
// Under `bazel run` the file is written into the workspace
// ($BUILD_WORKSPACE_DIRECTORY); otherwise -out is relative to the current
// directory.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// tablePath is the generated file, relative to the module root.
const tablePath = "platforms/private/platforms.bzl"

func main() {
	os.Exit(run(os.Args[1:], os.Stderr, os.Getenv))
}

func run(args []string, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("update_table", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", tablePath, "file to write (relative paths: to $BUILD_WORKSPACE_DIRECTORY when set)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: update_table [-out FILE]")
		return 2
	}
	path := *out
	if ws := getenv("BUILD_WORKSPACE_DIRECTORY"); ws != "" && !filepath.IsAbs(path) {
		path = filepath.Join(ws, path)
	}
	data := render()
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		fmt.Fprintf(stderr, "%s is up to date\n", path)
		return 0
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		fmt.Fprintf(stderr, "update_table: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "wrote %s\n", path)
	return 0
}
