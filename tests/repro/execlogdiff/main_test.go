package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const first = `{"commandArgs": ["cc", "a.c"], "environmentVariables": [{"name": "PATH", "value": "/bin"}],
 "inputs": [{"path": "a.c", "digest": {"hash": "aa", "sizeBytes": "1"}}, {"path": "a.h", "digest": {"hash": "hh", "sizeBytes": "1"}}],
 "listedOutputs": ["bazel-out/a.o"], "remotable": true, "cacheable": true, "remoteCacheable": true,
 "mnemonic": "CppCompile", "runner": "linux-sandbox", "remoteCacheHit": false, "targetLabel": "//:a"}
{"commandArgs": ["ld"], "listedOutputs": ["bazel-out/a"], "remotable": true, "cacheable": true, "remoteCacheable": true,
 "mnemonic": "CppLink", "runner": "linux-sandbox", "targetLabel": "//:a"}
`

func TestRun(t *testing.T) {
	tests := []struct {
		name     string
		second   string
		wantCode int
		want     []string
	}{
		{"all hits", `{"mnemonic": "CppCompile", "listedOutputs": ["bazel-out/a.o"], "remotable": true, "remoteCacheable": true, "remoteCacheHit": true}
{"mnemonic": "CppLink", "listedOutputs": ["bazel-out/a"], "remotable": true, "remoteCacheable": true, "remoteCacheHit": true}`,
			0, []string{"2 spawns, 2 remote cache hits, 0 cacheable spawns missed"}},
		{"all hits, Bazel 7 form", `{"mnemonic": "CppCompile", "listedOutputs": ["bazel-out/a.o"], "remotable": true, "remoteCacheable": true, "cacheHit": true, "runner": "remote cache hit"}
{"mnemonic": "CppLink", "listedOutputs": ["bazel-out/a"], "remotable": true, "remoteCacheable": true, "runner": "remote cache hit"}`,
			0, []string{"2 spawns, 2 remote cache hits, 0 cacheable spawns missed"}},
		{"a disk cache hit is no remote hit", `{"mnemonic": "CppCompile", "listedOutputs": ["bazel-out/a.o"], "remotable": true, "remoteCacheable": true, "cacheHit": true, "runner": "disk cache hit", "targetLabel": "//:a"}`,
			1, []string{"MISS CppCompile //:a (ran on disk cache hit)", "1 cacheable spawns missed"}},
		{"input differs", `{"commandArgs": ["cc", "a.c"], "environmentVariables": [{"name": "PATH", "value": "/bin"}],
 "inputs": [{"path": "a.c", "digest": {"hash": "bb", "sizeBytes": "1"}}, {"path": "b.h", "digest": {"hash": "hh", "sizeBytes": "1"}}],
 "listedOutputs": ["bazel-out/a.o"], "remotable": true, "remoteCacheable": true, "mnemonic": "CppCompile", "runner": "linux-sandbox", "targetLabel": "//:a"}`,
			1, []string{"MISS CppCompile //:a", "input differs: a.c (aa/1 vs bb/1)", "input only in this build: b.h", "input only in the first build: a.h", "1 cacheable spawns missed"}},
		{"environment differs", `{"commandArgs": ["cc", "a.c"], "environmentVariables": [{"name": "PATH", "value": "/usr/bin"}],
 "inputs": [{"path": "a.c", "digest": {"hash": "aa", "sizeBytes": "1"}}, {"path": "a.h", "digest": {"hash": "hh", "sizeBytes": "1"}}],
 "listedOutputs": ["bazel-out/a.o"], "remotable": true, "remoteCacheable": true, "mnemonic": "CppCompile", "runner": "local", "targetLabel": "//:a"}`,
			1, []string{`environment PATH: "/bin" vs "/usr/bin"`}},
		{"no counterpart", `{"mnemonic": "GoLink", "listedOutputs": ["bazel-out/x"], "remotable": true, "remoteCacheable": true, "targetLabel": "//:x"}`,
			1, []string{"MISS GoLink //:x", "no spawn with the same mnemonic"}},
		{"not cacheable is no miss", `{"mnemonic": "TestRunner", "listedOutputs": ["x"], "remotable": false, "remoteCacheable": false}`,
			0, []string{"1 spawns, 0 remote cache hits, 0 cacheable spawns missed"}},
	}
	dir := t.TempDir()
	a := filepath.Join(dir, "a.json")
	os.WriteFile(a, []byte(first), 0o644)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := filepath.Join(dir, "b.json")
			os.WriteFile(b, []byte(tt.second), 0o644)
			var out, errOut bytes.Buffer
			if code := run([]string{"-a", a, "-b", b}, &out, &errOut); code != tt.wantCode {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.wantCode, out.String(), errOut.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}
