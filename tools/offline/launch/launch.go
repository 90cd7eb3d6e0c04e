// Package launch composes the command that runs Bazel inside the holder's namespace: nsenter
// into it, chrooted in the root, in the caller's directory, with Bazel's startup options and a
// clean environment holding what Bazel and the tests need and nothing host-specific.
package launch

import (
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/tools/offline/layout"
)

// Startup are Bazel's startup options: the output root on the host (the same path inside),
// the generated bazelrc files (dev.bazelrc only in rules_go_cross's own workspace), and in the
// sealed-/tmp mode the JVM's temporary files where the actions' go.
func Startup(l layout.Layout, devWorkspace, sealed bool, tmpdir string) []string {
	s := []string{"--output_user_root=" + l.OutputUserRoot, "--bazelrc=" + l.Env + "/offline.bazelrc", "--bazelrc=" + l.Env + "/java.bazelrc"}
	if devWorkspace {
		s = append(s, "--bazelrc="+l.Env+"/dev.bazelrc")
	}
	if sealed {
		s = append(s, "--host_jvm_args=-Djava.io.tmpdir="+tmpdir)
	}
	return s
}

var rulesGoCrossModule = regexp.MustCompile(`(?m)^ *name *= *"rules_go_cross"`)

// IsRulesGoCross reports whether the workspace ws is rules_go_cross itself (this checkout or
// another clone of it), which has dev dependencies.
func IsRulesGoCross(ws string) bool {
	b, err := os.ReadFile(ws + "/MODULE.bazel")
	return err == nil && rulesGoCrossModule.Match(b)
}

// passed reports whether the host variable name goes into the root: what tests and `bazel
// run` targets (the go tool, test scripts, cosign under go_image_sign: COSIGN_PASSWORD) may
// need. Bazel gives actions the client's TMPDIR (else /tmp): only the sealed mode passes one.
func passed(name string, sealed bool) bool {
	switch {
	case name == "CI", name == "SOURCE_DATE_EPOCH", name == "TZ":
		return true
	case name == "TMPDIR":
		return sealed
	}
	for _, p := range []string{"GO", "CGO_", "RULES_GO_CROSS_", "ZIG_", "COSIGN_"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// Env is the environment Bazel gets, from the host's (environ, as os.Environ).
func Env(environ []string, l layout.Layout, sealed bool) []string {
	vars := map[string]string{}
	var names []string
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if _, dup := vars[k]; !ok || dup || k == "" {
			continue
		}
		vars[k] = v
		names = append(names, k)
	}
	or := func(k, def string) string {
		if v := vars[k]; v != "" {
			return v
		}
		return def
	}
	env := []string{
		"HOME=" + vars["HOME"], "USER=" + or("USER", "root"), "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"LANG=C.UTF-8", "TERM=" + or("TERM", "dumb"),
		"GOPROXY=" + or("GOPROXY", "https://proxy.golang.org,direct"), "GOSUMDB=" + or("GOSUMDB", "sum.golang.org"),
		"RULES_GO_CROSS_ENV=" + l.Env,
	}
	sort.Strings(names)
	for _, k := range names {
		if passed(k, sealed) {
			env = append(env, k+"="+vars[k])
		}
	}
	return env
}

// Argv is the nsenter command line that runs Bazel with startup options and args in the
// holder pid's namespace, chrooted, in the directory pwd, with exactly the environment env.
func Argv(pid, pwd string, env, startup, args []string) []string {
	argv := []string{"nsenter", "-t", pid, "-m", "-r", "-w", "--", "/usr/bin/env", "-i"}
	argv = append(argv, env...)
	argv = append(argv, "/bin/sh", "-c", `cd "$1" && shift && exec /usr/bin/bazel "$@"`, "bazel", pwd)
	argv = append(argv, startup...)
	return append(argv, args...)
}
