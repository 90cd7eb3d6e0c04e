package main

import (
	"runtime"
	"strings"
	"testing"
)

func TestSelfcheck(t *testing.T) {
	body, err := selfcheck()
	if err != nil {
		t.Fatal(err)
	}
	want := "hello from " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
	if body != want {
		t.Errorf("selfcheck body = %q, want %q", body, want)
	}
}

func TestVersion(t *testing.T) {
	v := version()
	for _, want := range []string{runtime.Version(), runtime.GOOS + "/" + runtime.GOARCH, "cgo="} {
		if !strings.Contains(v, want) {
			t.Errorf("version() = %q, missing %q", v, want)
		}
	}
}
