package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunErrors(t *testing.T) {
	log := filepath.Join(t.TempDir(), "go-test.log")
	if err := os.WriteFile(log, []byte("--- PASS: TestA (0.00s)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string // in the error; empty: no error
	}{
		{"a readable log", []string{"go", "0", log}, ""},
		{"too few arguments", []string{"go", log}, "usage: testcount bazel|go EXIT_CODE LOG"},
		{"exit code not a number", []string{"go", "x", log}, `EXIT_CODE "x" is not a number`},
		{"missing log", []string{"bazel", "0", filepath.Join(t.TempDir(), "none.log")}, "reading the log"},
		{"unknown kind", []string{"junit", "0", log}, `unknown log kind "junit"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := run(tc.args)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("run(%q) = %v, want no error", tc.args, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("run(%q) = %v, want an error containing %q", tc.args, err, tc.want)
			}
		})
	}
}
