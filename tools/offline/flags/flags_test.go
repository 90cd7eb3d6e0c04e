package flags

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestOutputDirs(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"build", "//..."}, nil},
		{[]string{"build", "--disk_cache=/d/c", "--repository_cache=/r"}, []string{"/d/c", "/r"}},
		{[]string{"build", "--disk_cache", "/d/c", "--repository_cache", "/r"}, []string{"/d/c", "/r"}},
		{[]string{"build", "--execution_log_json_file=/o/log/exec.json", "--profile=/o/p/p.json"}, []string{"/o/log", "/o/p"}},
		{[]string{"build", "--execution_log_binary_file", "/o/exec.bin", "--build_event_json_file", "/o/bep/b.json", "--explain=/x/e.txt"}, []string{"/o", "/o/bep", "/x"}},
		{[]string{"build", "--build_event_text_file=/b/t.txt", "--profile", "/p/dir/"}, []string{"/b", "/p"}},
		{[]string{"build", "--profile=rel/p.json", "--disk_cache=rel", "--explain="}, nil},
		{[]string{"build", "--profile=/a=b/p.json"}, []string{"/a=b"}},
		{[]string{"run", "//x", "--", "--disk_cache=/after"}, nil},
		{[]string{"build", "--profile", "--", "--disk_cache=/c"}, []string{"/c"}}, // "--" is the value of --profile
		{[]string{"build", "--profile_extra=/x/y", "--disk_cachex=/z"}, nil},
		{[]string{"build", "--profile=/p.json"}, []string{"/"}},
	} {
		if got := OutputDirs(tc.args); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("OutputDirs(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}

func TestMounts(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"m1", "m2"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		v    string
		want []string
	}{
		{"", nil},
		{"/a", []string{"/a"}},
		{"/a:/b/c", []string{"/a", "/b/c"}},
		{"/a::/b:", []string{"/a", "", "/b", ""}},
		{dir + "/m*", []string{dir + "/m1", dir + "/m2"}},
		{dir + "/none*", []string{dir + "/none*"}},
	} {
		if got := Mounts(tc.v); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Mounts(%q) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestWorkspaceRoot(t *testing.T) {
	dir, _ := filepath.EvalSymlinks(t.TempDir())
	for _, d := range []string{"ws/a/b", "ws/nested/c", "plain/x"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for f, content := range map[string]string{"ws/MODULE.bazel": "", "ws/nested/REPO.bazel": ""} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "ws/a/WORKSPACE"), 0o755); err != nil { // a directory does not count
		t.Fatal(err)
	}
	for _, tc := range []struct{ pwd, want string }{
		{"ws", "ws"},
		{"ws/a/b", "ws"},
		{"ws/nested/c", "ws/nested"},
	} {
		if got := WorkspaceRoot(filepath.Join(dir, tc.pwd)); got != filepath.Join(dir, tc.want) {
			t.Errorf("WorkspaceRoot(%s) = %s, want %s", tc.pwd, got, filepath.Join(dir, tc.want))
		}
	}
	// No workspace file anywhere up to /: the directory itself (unless the test's temporary
	// directory is itself inside a workspace).
	if WorkspaceRoot(dir) == dir {
		if got := WorkspaceRoot(filepath.Join(dir, "plain/x")); got != filepath.Join(dir, "plain/x") {
			t.Errorf("WorkspaceRoot(plain/x) = %s", got)
		}
	}
}

func TestCheckPlatforms(t *testing.T) {
	known := func() []string { return []string{"linux_amd64", "linux_arm64", "linux_arm64_musl"} }
	for _, tc := range []struct {
		name string
		ws   string
		args []string
		err  string // "" for no error
	}{
		{"no --platforms", "/rgc", []string{"build", "//..."}, ""},
		{"known", "/rgc", []string{"build", "--platforms=//platforms:linux_arm64"}, ""},
		{"host", "/rgc", []string{"build", "--platforms=//platforms:host"}, ""},
		{"unknown, own workspace",
			"/rgc", []string{"build", "--platforms=//platforms:linux_arm64_mus", "//examples/hello"},
			"unknown platform 'linux_arm64_mus' in --platforms=//platforms:linux_arm64_mus; rules_go_cross defines: host linux_amd64 linux_arm64 linux_arm64_musl (for example --platforms=//platforms:linux_arm64_musl)"},
		{"//platforms in another workspace is that workspace's", "/other", []string{"build", "--platforms=//platforms:linux_riscv64"}, ""},
		{"@rules_go_cross spelling, separate value",
			"/other", []string{"build", "--platforms", "@rules_go_cross//platforms:linux_riscv64"},
			"unknown platform 'linux_riscv64' in --platforms=@rules_go_cross//platforms:linux_riscv64; rules_go_cross defines: host linux_amd64 linux_arm64 linux_arm64_musl (for example --platforms=@rules_go_cross//platforms:linux_arm64_musl)"},
		{"canonical spellings", "/other", []string{"--platforms=@@rules_go_cross+//platforms:x"}, "unknown platform 'x' in --platforms=@@rules_go_cross+//platforms:x;"},
		{"bzlmod ~ spelling", "/other", []string{"--platforms=@@rules_go_cross~//platforms:linux_amd64"}, ""},
		{"list, second unknown", "/rgc", []string{"--platforms=//platforms:linux_amd64,@rules_go_cross//platforms:nope"}, "unknown platform 'nope' in --platforms=//platforms:linux_amd64,@rules_go_cross//platforms:nope;"},
		{"other repositories", "/rgc", []string{"--platforms=@other//platforms:nope,//my:platform"}, ""},
		{"after --", "/rgc", []string{"run", "//x", "--", "--platforms=//platforms:nope"}, ""},
		{"empty name", "/rgc", []string{"--platforms=//platforms:"}, "unknown platform '' in"},
	} {
		err := CheckPlatforms(tc.ws, "/rgc", tc.args, known)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.err != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.err)):
			t.Errorf("%s: error %v, want one starting %q", tc.name, err, tc.err)
		}
	}
}

func TestCheckPlatformsReadsTheTableOnlyWhenNeeded(t *testing.T) {
	read := 0
	known := func() []string { read++; return nil }
	if err := CheckPlatforms("/rgc", "/rgc", []string{"build", "--platforms=@other//:p", "//..."}, known); err != nil || read != 0 {
		t.Errorf("err %v, table read %d times; want no read", err, read)
	}
	// An empty table turns the check off.
	if err := CheckPlatforms("/rgc", "/rgc", []string{"--platforms=//platforms:a,//platforms:b"}, known); err != nil || read != 1 {
		t.Errorf("err %v, table read %d times; want one read and no error", err, read)
	}
}
