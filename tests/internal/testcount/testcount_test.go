package testcount

import (
	"bytes"
	"strings"
	"testing"
)

// Excerpts of real logs: `bazel test //...` as tools/test tees it, and `go test -v ./...`.
const (
	bazelPassing = `INFO: Build completed successfully, 1554 total actions
//docs:go_test                                                  (cached) PASSED in 0.3s
//docs/doccheck:doccheck_test                                   (cached) PASSED in 0.3s
//tests/images:images_test                                               PASSED in 2.9s

Executed 1 out of 69 tests: 69 tests pass.
There were tests whose specified size is too big. Use the --test_verbose_timeout_warnings command line option to see which ones these are.
`
	bazelFailing = `//docs:go_test                                                  (cached) PASSED in 0.3s
//tests/cgo:cgo_test                                                     FAILED in 2.1s
  /root/.cache/bazel/_bazel_root/0a1b/execroot/_main/bazel-out/k8-fastbuild/testlogs/tests/cgo/cgo_test/test.log
//tests/images:images_test                                      (cached) FAILED in 1.0s
//tests/hello:hello_test                                                TIMEOUT in 300.0s
//tests/push:push_test                                                NO STATUS
//tests/musltag:musltag_test                                   FLAKY, failed in 1 out of 2 in 3.1s
//tests/remote:remote_test                                             INCOMPLETE
//tests/zig:zig_test                                              FAILED TO BUILD

Executed 5 out of 8 tests: 1 test passes, 7 fail locally.
`
	bazelBuildError = `ERROR: /work/main/tests/cgo/BUILD.bazel:12:8: GoLink tests/cgo/app_/app failed: (Exit 1): builder failed: error executing GoLink command
INFO: Elapsed time: 12.345s, Critical Path: 3.21s
ERROR: Build did NOT complete successfully
`
	goPassing = `?   	github.com/rules-go-cross/rules_go_cross/bench/sizes	[no test files]
=== RUN   TestCheck
=== RUN   TestCheck/all_documented
--- PASS: TestCheck (0.00s)
    --- PASS: TestCheck/all_documented (0.00s)
    --- PASS: TestCheck/no_module_docstring (0.00s)
=== RUN   TestPublicModules
    doccheck_test.go:70: needs the repository's docs
--- SKIP: TestPublicModules (0.00s)
=== RUN   TestParseArchLibc
--- PASS: TestParseArchLibc (0.00s)
PASS
ok  	github.com/rules-go-cross/rules_go_cross/docs/doccheck	0.012s
`
	goFailing = `=== RUN   TestInterpreters
--- PASS: TestInterpreters (0.00s)
PASS
ok  	github.com/rules-go-cross/rules_go_cross/go/linkmode	0.017s
=== RUN   TestInspect
=== RUN   TestInspect/pure_linux_amd64
=== RUN   TestInspect/cgo_linux_amd64_musl
    elfinfo_test.go:87: tags [musl netgo osusergo], want [netgo osusergo]
--- FAIL: TestInspect (7.39s)
    --- PASS: TestInspect/pure_linux_amd64 (0.45s)
    --- FAIL: TestInspect/cgo_linux_amd64_musl (1.02s)
FAIL
FAIL	github.com/rules-go-cross/rules_go_cross/go/linkmode/elfinfo	7.473s
`
	goBuildFailed = `# github.com/rules-go-cross/rules_go_cross/go/linkmode [github.com/rules-go-cross/rules_go_cross/go/linkmode.test]
go/linkmode/plan_test.go:12:2: undefined: planFor
FAIL	github.com/rules-go-cross/rules_go_cross/go/linkmode [build failed]
FAIL	github.com/rules-go-cross/rules_go_cross/tools/offline/provision [setup failed]
ok  	github.com/rules-go-cross/rules_go_cross/docs/doccheck	0.012s
FAIL
`
	goVetError = `go: errors parsing go.mod:
/work/main/go.mod:5: unknown directive: requir
`
)

func TestCount(t *testing.T) {
	for _, tc := range []struct {
		name     string
		kind     Kind
		log      string
		exitCode int
		want     Counts
	}{
		{"bazel passing, cached or not", Bazel, bazelPassing, 0, Counts{Passed: 3}},
		{"bazel FAILED, cached FAILED, TIMEOUT, NO STATUS, FLAKY, INCOMPLETE, FAILED TO BUILD", Bazel, bazelFailing, 3, Counts{Passed: 1, Failed: 7}},
		{"bazel build error before any test ran", Bazel, bazelBuildError, 1, Counts{Failed: 1}},
		{"bazel exit code 0 with no test lines", Bazel, "", 0, Counts{}},
		{"bazel failures named: the exit code adds none", Bazel, bazelFailing, 1, Counts{Passed: 1, Failed: 7}},
		{"go top-level passes only; indented subtests and SKIP not counted", GoTest, goPassing, 0, Counts{Passed: 2}},
		{"go --- FAIL at top level; indented subtest FAIL not counted", GoTest, goFailing, 1, Counts{Passed: 1, Failed: 1}},
		{"go [build failed] and [setup failed]", GoTest, goBuildFailed, 1, Counts{Failed: 2}},
		{"go failed without a FAIL line", GoTest, goVetError, 1, Counts{Failed: 1}},
		{"go passes with a nonzero exit and no FAIL line", GoTest, goPassing, 2, Counts{Passed: 2, Failed: 1}},
		{"bazel lines are not go results", GoTest, bazelPassing, 0, Counts{}},
		{"go lines are not bazel results", Bazel, goFailing, 0, Counts{}},
		{"no final newline", GoTest, "--- PASS: TestA (0.00s)\n--- PASS: TestB (0.00s)", 0, Counts{Passed: 2}},
		{"carriage return kept in the line", GoTest, "FAIL\tpkg [build failed]\r\n--- PASS: TestA (0.00s)\r\n", 1, Counts{Passed: 1, Failed: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Count(tc.kind, []byte(tc.log), tc.exitCode)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Count(%s, exit %d) = %+v, want %+v", tc.kind, tc.exitCode, got, tc.want)
			}
		})
	}
}

func TestCountUnknownKind(t *testing.T) {
	_, err := Count("junit", []byte(bazelPassing), 0)
	if err == nil || !strings.Contains(err.Error(), `"junit"`) || !strings.Contains(err.Error(), `"bazel"`) {
		t.Errorf("Count(junit) error = %v, want one naming the kind and the known kinds", err)
	}
}

func TestReport(t *testing.T) {
	longFailure := strings.Repeat("filler\n", 40) + "go: downloading example.com/x v1.0.0\nexit status 1\n"
	for _, tc := range []struct {
		name     string
		kind     Kind
		log      string
		exitCode int
		want     string
	}{
		{"bazel: the counts only", Bazel, bazelFailing, 3, "bazel: 1 passed, 7 failed\n"},
		{"bazel build error", Bazel, bazelBuildError, 1, "bazel: 0 passed, 1 failed\n"},
		{"go passing: package lines and SKIP, no passes", GoTest, goPassing, 0,
			"?   \tgithub.com/rules-go-cross/rules_go_cross/bench/sizes\t[no test files]\n" +
				"--- SKIP: TestPublicModules (0.00s)\n" +
				"ok  \tgithub.com/rules-go-cross/rules_go_cross/docs/doccheck\t0.012s\n" +
				"go test: 2 passed, 0 failed\n"},
		{"go failing: FAIL lines, bare FAIL and indented lines left out", GoTest, goFailing, 1,
			"ok  \tgithub.com/rules-go-cross/rules_go_cross/go/linkmode\t0.017s\n" +
				"--- FAIL: TestInspect (7.39s)\n" +
				"FAIL\tgithub.com/rules-go-cross/rules_go_cross/go/linkmode/elfinfo\t7.473s\n" +
				"go test: 1 passed, 1 failed\n"},
		{"go failed without a FAIL line: the whole short log", GoTest, goVetError, 1,
			goVetError + "go test: 0 passed, 1 failed\n"},
		{"go failed without a FAIL line: the last 30 lines", GoTest, longFailure, 1,
			strings.Repeat("filler\n", 28) + "go: downloading example.com/x v1.0.0\nexit status 1\n" +
				"go test: 0 passed, 1 failed\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if _, err := Report(&out, tc.kind, []byte(tc.log), tc.exitCode); err != nil {
				t.Fatal(err)
			}
			if out.String() != tc.want {
				t.Errorf("Report(%s, exit %d) wrote\n%s\nwant\n%s", tc.kind, tc.exitCode, out.String(), tc.want)
			}
		})
	}
}
