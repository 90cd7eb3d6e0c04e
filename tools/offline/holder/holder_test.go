package holder

import (
	"errors"
	"os"
	"reflect"
	"strconv"
	"testing"
)

func TestName(t *testing.T) {
	if Name(false) != "holder" || Name(true) != "holder-sealed-tmp" {
		t.Errorf("Name(false), Name(true) = %q, %q", Name(false), Name(true))
	}
}

func TestPID(t *testing.T) {
	self := strconv.Itoa(os.Getpid())
	root, err := os.Readlink("/proc/self/root")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, tc := range []struct {
		name, content, root string
		ok                  bool
	}{
		{"alive, in the root", self + "\n", root, true},
		{"no newline", self, root, true},
		{"alive, another root", self + "\n", "/elsewhere", false},
		{"empty", "", root, false},
		{"not a process", "999999999\n", root, false},
		{"garbage", "../1\n", root, false},
	} {
		cache := t.TempDir()
		if err := os.WriteFile(cache+"/holder.pid", []byte(tc.content), 0o644); err != nil {
			t.Fatal(err)
		}
		pid, ok := PID(cache, tc.root, "holder")
		if ok != tc.ok || ok && pid != self {
			t.Errorf("%s: PID = %q, %v; want ok %v", tc.name, pid, ok, tc.ok)
		}
	}
	if _, ok := PID(t.TempDir(), root, "holder"); ok {
		t.Error("PID without a pid file: ok")
	}
}

func TestUnmounted(t *testing.T) {
	// This process sees every directory at its own path: nothing to mount.
	dir := t.TempDir()
	self := strconv.Itoa(os.Getpid())
	if got := Unmounted(self, []string{dir, "/", dir + "/missing"}); got != nil {
		t.Errorf("Unmounted(self) = %q, want none", got)
	}
}

func TestOrder(t *testing.T) {
	real := map[string]string{
		"/ws":         "/ws",
		"/ws/sub":     "/ws/sub",
		"/link":       "/data/cache",
		"/data/cache": "/data/cache",
		"/tmp":        "/tmp",
		"rel":         "/ws/rel",
		"/ab":         "/ab",
		"/aa":         "/aa",
	}
	realpath := func(p string) (string, error) {
		if r, ok := real[p]; ok {
			return r, nil
		}
		return "", errors.New("no such file")
	}
	got := Order([]string{"/ws/sub", "/link", "/ws", "", "/missing", "/data/cache", "/tmp", "rel", "/ab", "/aa"}, realpath)
	want := []string{"/aa", "/ab", "/ws", "/tmp", "/ws/rel", "/ws/sub", "/data/cache"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Order = %q, want %q", got, want)
	}
}
