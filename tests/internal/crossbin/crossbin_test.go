package crossbin

import (
	"fmt"
	"maps"
	"testing"
)

func TestParse(t *testing.T) {
	t.Setenv("TEST_SRCDIR", "/r")
	t.Setenv("TEST_WORKSPACE", "_main")
	got := Parse(t, "a=x/a,b=y/b", []string{"a", "b"})
	want := map[string]string{"a": "/r/_main/x/a", "b": "/r/_main/y/b"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("Parse()[%s] = %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("Parse() = %v, want %v", got, want)
	}
}

func TestEach(t *testing.T) {
	t.Setenv("TEST_SRCDIR", "/r")
	t.Setenv("TEST_WORKSPACE", "_main")
	targets := map[string]int{"a": 1, "b": 2}
	got := map[string]string{}
	Each(t, "a=x/a,b=y/b", targets, func(t *testing.T, path string, want int) {
		got[t.Name()] = fmt.Sprintf("%s %d", path, want)
	})
	want := map[string]string{"TestEach/a": "/r/_main/x/a 1", "TestEach/b": "/r/_main/y/b 2"}
	if !maps.Equal(got, want) {
		t.Errorf("Each ran %v, want %v", got, want)
	}
}
