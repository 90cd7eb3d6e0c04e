// Command testcount prints the test results that a log of `bazel test` or `go test -v` holds,
// for tools/test:
//
//	testcount bazel|go EXIT_CODE LOG
//
// EXIT_CODE is the exit status of the command that wrote LOG. The last line printed is
// "LABEL: N passed, N failed"; for `go test` the per-package lines come first. See package
// testcount for what counts.
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/rules-go-cross/rules_go_cross/tests/internal/testcount"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

func run(args []string) error {
	if len(args) != 3 {
		return fmt.Errorf("usage: testcount bazel|go EXIT_CODE LOG (got %d arguments)", len(args))
	}
	exitCode, err := strconv.Atoi(args[1])
	if err != nil {
		return fmt.Errorf("testcount: EXIT_CODE %q is not a number; pass the exit status of the command that wrote the log", args[1])
	}
	log, err := os.ReadFile(args[2])
	if err != nil {
		return fmt.Errorf("testcount: reading the log: %w", err)
	}
	_, err = testcount.Report(os.Stdout, testcount.Kind(args[0]), log, exitCode)
	return err
}
