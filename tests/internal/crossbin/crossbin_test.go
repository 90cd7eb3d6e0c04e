package crossbin

import "testing"

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
