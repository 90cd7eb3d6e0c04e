// Package flags reads what tools/bazel needs from Bazel's command line and environment before
// Bazel runs: the workspace, the host directories that path-valued flags and
// RULES_GO_CROSS_MOUNTS name (Bazel runs in a root that sees only what is mounted), and
// --platforms labels naming a platform rules_go_cross does not define.
package flags

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// WorkspaceRoot is the nearest directory from pwd up holding MODULE.bazel, WORKSPACE,
// WORKSPACE.bazel or REPO.bazel; pwd itself when there is none.
func WorkspaceRoot(pwd string) string {
	for d := pwd; d != "/" && d != "."; d = filepath.Dir(d) {
		for _, f := range []string{"MODULE.bazel", "WORKSPACE", "WORKSPACE.bazel", "REPO.bazel"} {
			if fi, err := os.Stat(d + "/" + f); err == nil && fi.Mode().IsRegular() {
				return d
			}
		}
	}
	return pwd
}

// Bazel's flags naming a file or directory that the server writes to.
var (
	pathFlagWithValue = regexp.MustCompile(`^(--disk_cache|--repository_cache|--execution_log_.*_file|--profile|--build_event_.*_file|--explain)=`)
	pathFlag          = regexp.MustCompile(`^(--disk_cache|--repository_cache|--execution_log_.*_file|--profile|--build_event_.*_file|--explain)$`)
)

// OutputDirs are the host directories that Bazel's path-valued flags in args name (up to
// "--"): the directory itself for --disk_cache and --repository_cache, the file's directory
// for the others (--execution_log_*_file, --profile, --build_event_*_file, --explain). A
// relative value is under the working directory, mounted anyway: none for it.
func OutputDirs(args []string) []string {
	var dirs []string
	add := func(flag, value string) {
		if !strings.HasPrefix(value, "/") {
			return
		}
		if flag == "--disk_cache" || flag == "--repository_cache" {
			dirs = append(dirs, value)
		} else {
			dirs = append(dirs, dirname(value))
		}
	}
	want := ""
	for _, a := range args {
		if want != "" {
			add(want, a)
			want = ""
			continue
		}
		switch {
		case pathFlagWithValue.MatchString(a):
			flag, value, _ := strings.Cut(a, "=")
			add(flag, value)
		case pathFlag.MatchString(a):
			want = a
		case a == "--":
			return dirs
		}
	}
	return dirs
}

// dirname is dirname(1): trailing slashes do not count.
func dirname(p string) string {
	t := strings.TrimRight(p, "/")
	if t == "" {
		return "/"
	}
	return filepath.Dir(t)
}

// Mounts are the directories RULES_GO_CROSS_MOUNTS lists, colon-separated; a pattern
// (*, ?, [) that matches names the paths it matches.
func Mounts(v string) []string {
	if v == "" {
		return nil
	}
	var out []string
	for _, f := range strings.Split(v, ":") {
		if strings.ContainsAny(f, "*?[") {
			if m, _ := filepath.Glob(f); len(m) > 0 {
				out = append(out, m...)
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

// platformsOfModule are the label prefixes naming rules_go_cross's platforms package from any
// workspace.
var platformsOfModule = []string{"@rules_go_cross//platforms:", "@@rules_go_cross//platforms:", "@@rules_go_cross~//platforms:", "@@rules_go_cross+//platforms:"}

// CheckPlatforms fails when a --platforms label in args (up to "--") names a platform of
// rules_go_cross that does not exist, saying which ones do, instead of Bazel's generic error.
// The labels //platforms:NAME count only in rules_go_cross's own workspace (ws == rgcRoot).
// known lists the platforms; it is called only when a label needs it, and an empty list
// turns the check off.
func CheckPlatforms(ws, rgcRoot string, args []string, known func() []string) error {
	var names []string
	wantNext := false
	for _, a := range args {
		var value string
		switch {
		case wantNext:
			value, wantNext = a, false
		case strings.HasPrefix(a, "--platforms="):
			value = strings.TrimPrefix(a, "--platforms=")
		case a == "--platforms":
			wantNext = true
			continue
		case a == "--":
			return nil
		default:
			continue
		}
		for _, label := range strings.Split(value, ",") {
			if !namesModulePlatform(label) && !(strings.HasPrefix(label, "//platforms:") && ws == rgcRoot) {
				continue
			}
			i := strings.LastIndex(label, ":")
			name := label[i+1:]
			if names == nil {
				names = append([]string{"host"}, known()...)
			}
			if len(names) > 1 && !contains(names, name) {
				return fmt.Errorf("unknown platform '%s' in --platforms=%s; rules_go_cross defines: %s (for example --platforms=%s:linux_arm64_musl)",
					name, value, strings.Join(names, " "), label[:i])
			}
		}
	}
	return nil
}

func namesModulePlatform(label string) bool {
	for _, p := range platformsOfModule {
		if strings.HasPrefix(label, p) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
