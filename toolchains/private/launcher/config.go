package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// cfgName is the name of the config file the launcher reads from the
// directory of os.Args[0] (not of the resolved executable).
const cfgName = "launcher.cfg"

// cacheEnv, when set and non-empty, makes zig use that directory as a shared
// cache instead of a fresh one per invocation (outside Bazel only: tests and
// manual use; it is not hermetic).
const cacheEnv = "RULES_GO_CROSS_ZIG_CACHE"

// config is the content of launcher.cfg:
//
//	# comment
//	target=x86_64-linux-musl    # zig target triple
//	zig=external/rules_go_cross~~zig~zig_sdk/zig
//	lib=external/rules_go_cross~~zig~zig_sdk/lib
//	depth=6
//	runtime=bazel-out/k8-opt-exec/bin/toolchains/private/runtime_c_x86_64-linux-musl:bazel-out/k8-opt-exec/bin/toolchains/private/runtime_c++_x86_64-linux-musl
//	goarch=amd64
//
// A '#' at the start of a line or after a blank starts a comment. Blank lines
// are ignored. Keys are case-sensitive; unknown and repeated keys are errors
// (a typo must not silently fall back to a default).
type config struct {
	// Target is the zig target triple, e.g. x86_64-linux-musl or
	// aarch64-linux-gnu.2.17.
	Target string
	// Zig and Lib are the zig executable and zig's lib dir, relative to the
	// execroot (absolute paths are accepted and used as they are).
	Zig string
	Lib string
	// Depth is the number of path segments between the execroot and the
	// directory holding the launcher symlinks and this file.
	Depth int
	// Runtime is the prebuilt C runtime of the target: ':'-separated zig
	// cache directories (the C part: libc, crt files, compiler-rt; the C++
	// part: libc++, libc++abi, libunwind; see runtime.go), each relative to
	// the execroot. Optional: without it, every link builds what it needs.
	Runtime string
	// Cache is a shared zig cache dir (global and local), relative to the
	// execroot unless absolute. Optional; empty (the default, and what Bazel
	// writes) means a fresh cache per invocation, seeded from Runtime.
	Cache string
	// GOARCH is the Go architecture of Target (from the platform table),
	// for messages that name a platform. Optional.
	GOARCH string
}

// configError is an invalid or incomplete launcher.cfg.
type configError struct {
	file string
	line int // 0 when the problem is not on one line
	key  string
	msg  string
}

func (e *configError) Error() string {
	where := e.file
	if e.line > 0 {
		where = fmt.Sprintf("%s:%d", e.file, e.line)
	}
	if e.key != "" {
		return fmt.Sprintf("launcher config %s: key %q: %s", where, e.key, e.msg)
	}
	return fmt.Sprintf("launcher config %s: %s", where, e.msg)
}

var requiredKeys = []string{"target", "zig", "lib", "depth"}

// parseConfig parses the content of a launcher.cfg; file is used in errors.
func parseConfig(file string, data []byte) (*config, error) {
	c := &config{}
	seen := map[string]bool{}
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		line = stripComment(line)
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		key = strings.TrimSpace(key)
		value = strings.TrimSpace(value)
		if !ok || key == "" {
			return nil, &configError{file: file, line: n, msg: fmt.Sprintf("want key=value, got %q", line)}
		}
		if seen[key] {
			return nil, &configError{file: file, line: n, key: key, msg: "set more than once"}
		}
		seen[key] = true
		if value == "" && key != "cache" && key != "runtime" && key != "goarch" {
			return nil, &configError{file: file, line: n, key: key, msg: "empty value"}
		}
		switch key {
		case "target":
			if err := checkTarget(value); err != nil {
				return nil, &configError{file: file, line: n, key: key, msg: err.Error()}
			}
			c.Target = value
		case "zig":
			c.Zig = value
		case "lib":
			c.Lib = value
		case "depth":
			d, err := strconv.Atoi(value)
			if err != nil || d < 0 {
				return nil, &configError{file: file, line: n, key: key, msg: fmt.Sprintf("want a non-negative integer, got %q", value)}
			}
			c.Depth = d
		case "cache":
			c.Cache = value
		case "runtime":
			c.Runtime = value
		case "goarch":
			c.GOARCH = value
		default:
			return nil, &configError{file: file, line: n, key: key, msg: "unknown key (known: target, zig, lib, depth, runtime, cache, goarch)"}
		}
	}
	for _, k := range requiredKeys {
		if !seen[k] {
			return nil, &configError{file: file, key: k, msg: "missing (required keys: " + strings.Join(requiredKeys, ", ") + ")"}
		}
	}
	return c, nil
}

// stripComment removes a '#' comment that starts the line or follows a blank,
// so that a '#' inside a path (a#b) is kept.
func stripComment(line string) string {
	for i := 0; i < len(line); i++ {
		if line[i] == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			return line[:i]
		}
	}
	return line
}

// checkTarget accepts zig target triples arch-os-abi[.version], e.g.
// x86_64-linux-musl, aarch64-linux-gnu.2.17.
func checkTarget(t string) error {
	parts := strings.Split(t, "-")
	if len(parts) != 3 {
		return fmt.Errorf("want a zig target triple arch-os-abi such as x86_64-linux-musl or aarch64-linux-gnu.2.17, got %q", t)
	}
	for _, p := range parts {
		if p == "" {
			return fmt.Errorf("want a zig target triple arch-os-abi, got %q", t)
		}
		for _, r := range p {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.') {
				return fmt.Errorf("invalid character %q in target %q", r, t)
			}
		}
	}
	return nil
}

// isGlibcTarget reports whether a zig target links against glibc
// (abi gnu, gnueabi, gnueabihf, gnux32, ... optionally with .version).
func isGlibcTarget(target string) bool {
	parts := strings.Split(target, "-")
	return len(parts) == 3 && strings.HasPrefix(parts[2], "gnu")
}

// loadConfig reads launcher.cfg from dir.
func loadConfig(dir string) (*config, string, error) {
	file := filepath.Join(dir, cfgName)
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, file, &configError{file: file, msg: fmt.Sprintf("cannot read it (it is written next to the cc/c++/ar symlinks by the Bazel rule that creates them): %v", err)}
	}
	c, err := parseConfig(file, data)
	return c, file, err
}
