package launch

import (
	"os"
	"reflect"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/tools/offline/layout"
)

func TestStartup(t *testing.T) {
	l := layout.At("/c")
	base := []string{"--output_user_root=/c/bazel-output", "--bazelrc=/c/env-v1/offline.bazelrc", "--bazelrc=/c/env-v1/java.bazelrc"}
	for _, tc := range []struct {
		dev, sealed bool
		want        []string
	}{
		{false, false, base},
		{true, false, append(append([]string{}, base...), "--bazelrc=/c/env-v1/dev.bazelrc")},
		{true, true, append(append([]string{}, base...), "--bazelrc=/c/env-v1/dev.bazelrc", "--host_jvm_args=-Djava.io.tmpdir=/var/tmp/t")},
		{false, true, append(append([]string{}, base...), "--host_jvm_args=-Djava.io.tmpdir=/var/tmp/t")},
	} {
		if got := Startup(l, tc.dev, tc.sealed, "/var/tmp/t"); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Startup(dev %v, sealed %v) = %q, want %q", tc.dev, tc.sealed, got, tc.want)
		}
	}
}

func TestIsRulesGoCross(t *testing.T) {
	for _, tc := range []struct {
		module string
		want   bool
	}{
		{"module(\n    name = \"rules_go_cross\",\n    version = \"0.1.0\",\n)\n", true},
		{"module(name = \"rules_go_cross\")\n", false}, // the name must start its line, as grep '^ *name' reads it
		{"module(\n    name = \"consumer\",\n)\nbazel_dep(name = \"rules_go_cross\")\n", false},
		{"module(\nname=\"rules_go_cross\")\n", true},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(dir+"/MODULE.bazel", []byte(tc.module), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := IsRulesGoCross(dir); got != tc.want {
			t.Errorf("IsRulesGoCross(%q) = %v, want %v", tc.module, got, tc.want)
		}
	}
	if IsRulesGoCross(t.TempDir()) {
		t.Error("IsRulesGoCross without MODULE.bazel = true")
	}
}

func TestEnv(t *testing.T) {
	l := layout.At("/c")
	host := []string{
		"HOME=/root", "PATH=/host/bin", "TERM=", "GOFLAGS=-mod=mod", "CGO_ENABLED=0", "ZIG_GLOBAL_CACHE_DIR=/z",
		"RULES_GO_CROSS_MOUNTS=/m", "COSIGN_PASSWORD=pw", "TMPDIR=/var/tmp/t", "TZ=UTC", "CI=1", "SOURCE_DATE_EPOCH=1",
		"SSH_AUTH_SOCK=/s", "LANG=de_DE.UTF-8", "GOPATH=/gp", "HOME=/second",
	}
	fixed := []string{
		"HOME=/root", "USER=root", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "TERM=dumb",
		"GOPROXY=https://proxy.golang.org,direct", "GOSUMDB=sum.golang.org", "RULES_GO_CROSS_ENV=/c/env-v1",
	}
	passedVars := []string{"CGO_ENABLED=0", "CI=1", "COSIGN_PASSWORD=pw", "GOFLAGS=-mod=mod", "GOPATH=/gp", "RULES_GO_CROSS_MOUNTS=/m", "SOURCE_DATE_EPOCH=1"}
	for _, tc := range []struct {
		sealed bool
		want   []string
	}{
		{false, append(append(append([]string{}, fixed...), passedVars...), "TZ=UTC", "ZIG_GLOBAL_CACHE_DIR=/z")},
		{true, append(append(append([]string{}, fixed...), passedVars...), "TMPDIR=/var/tmp/t", "TZ=UTC", "ZIG_GLOBAL_CACHE_DIR=/z")},
	} {
		if got := Env(host, l, tc.sealed); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Env(sealed %v) =\n%q\nwant\n%q", tc.sealed, got, tc.want)
		}
	}
	got := Env([]string{"HOME=/h", "USER=u", "TERM=xterm", "GOPROXY=off", "GOSUMDB=off"}, l, false)
	want := []string{"HOME=/h", "USER=u", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "TERM=xterm",
		"GOPROXY=off", "GOSUMDB=off", "RULES_GO_CROSS_ENV=/c/env-v1", "GOPROXY=off", "GOSUMDB=off"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Env with the defaults overridden =\n%q\nwant\n%q", got, want)
	}
}

func TestArgv(t *testing.T) {
	got := Argv("42", "/w/sub", []string{"HOME=/root"}, []string{"--output_user_root=/c/bazel-output"}, []string{"build", "//..."})
	want := []string{"nsenter", "-t", "42", "-m", "-r", "-w", "--", "/usr/bin/env", "-i", "HOME=/root",
		"/bin/sh", "-c", `cd "$1" && shift && exec /usr/bin/bazel "$@"`, "bazel", "/w/sub", "--output_user_root=/c/bazel-output", "build", "//..."}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Argv =\n%q\nwant\n%q", got, want)
	}
}
