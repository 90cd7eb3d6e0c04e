package main

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/baseselect"
)

// listFlag collects a repeated flag's values in order.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// mapFlag collects repeated key=value flags.
type mapFlag map[string]string

func (m mapFlag) String() string {
	var s []string
	for _, k := range sortedKeys(m) {
		s = append(s, k+"="+m[k])
	}
	return strings.Join(s, " ")
}

func (m mapFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("%q is not key=value", v)
	}
	m[k] = val
	return nil
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// timeFlag is a fixed timestamp: RFC 3339 or seconds since the epoch (the
// SOURCE_DATE_EPOCH convention). It defaults to 1970-01-01T00:00:00Z.
type timeFlag struct{ t time.Time }

func (f *timeFlag) String() string {
	if f.t.IsZero() {
		return "1970-01-01T00:00:00Z"
	}
	return f.t.UTC().Format(time.RFC3339)
}

func (f *timeFlag) Set(v string) error {
	t, err := parseTime(v)
	if err != nil {
		return err
	}
	f.t = t
	return nil
}

func (f *timeFlag) Time() time.Time {
	if f.t.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return f.t
}

func parseTime(v string) (time.Time, error) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return time.Time{}, fmt.Errorf("%d is before 1970; give a non-negative epoch", n)
		}
		return time.Unix(n, 0).UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither seconds since 1970 nor an RFC 3339 time like 2024-01-02T15:04:05Z", v)
	}
	if t.Before(time.Unix(0, 0)) {
		return time.Time{}, fmt.Errorf("%q is before 1970", v)
	}
	return t.UTC(), nil
}

var sha256Suffix = regexp.MustCompile(`^(.+)=(?:sha256:)?([0-9a-fA-F]{64})$`)

// splitChecksum splits "path=sha256" (or "path=sha256:hex") into its parts;
// a value without a checksum is all path.
func splitChecksum(v string) (path, sum string) {
	if m := sha256Suffix.FindStringSubmatch(v); m != nil {
		return m[1], strings.ToLower(m[2])
	}
	return v, ""
}

// fileSpec is a parsed -file DEST=SRC[:MODE[:UID:GID]] flag.
type fileSpec struct {
	dest, src string
	mode      int64 // -1: from the host execute bit
	uid, gid  int
}

var modeSuffix = regexp.MustCompile(`^(.+?):([0-7]{3,4})(?::(\d+):(\d+))?$`)

func parseFileSpec(v string) (fileSpec, error) {
	dest, rest, ok := strings.Cut(v, "=")
	if !ok || !strings.HasPrefix(dest, "/") || rest == "" {
		return fileSpec{}, fmt.Errorf("-file %q is not /path/in/image=host/path[:mode[:uid:gid]]", v)
	}
	fs := fileSpec{dest: dest, src: rest, mode: -1}
	if _, err := os.Stat(rest); err != nil { // a host path that happens to end in :0755 wins
		if m := modeSuffix.FindStringSubmatch(rest); m != nil {
			fs.src = m[1]
			mode, _ := strconv.ParseInt(m[2], 8, 64)
			fs.mode = mode
			if m[3] != "" {
				fs.uid, _ = strconv.Atoi(m[3])
				fs.gid, _ = strconv.Atoi(m[4])
			}
		}
	}
	return fs, nil
}

// dirSpec is a parsed -dir /path[:mode[:uid:gid]] flag.
type dirSpec struct {
	path     string
	mode     int64
	uid, gid int
}

func parseDirSpec(v string) (dirSpec, error) {
	parts := strings.Split(v, ":")
	ds := dirSpec{path: parts[0], mode: 0o755}
	bad := fmt.Errorf("-dir %q is not /path[:mode[:uid:gid]] (mode in octal, e.g. /data:0700:65532:65532)", v)
	if !strings.HasPrefix(ds.path, "/") || len(parts) > 4 || len(parts) == 3 {
		return ds, bad
	}
	var err error
	if len(parts) >= 2 {
		if ds.mode, err = strconv.ParseInt(parts[1], 8, 64); err != nil {
			return ds, bad
		}
	}
	if len(parts) == 4 {
		if ds.uid, err = strconv.Atoi(parts[2]); err != nil {
			return ds, bad
		}
		if ds.gid, err = strconv.Atoi(parts[3]); err != nil {
			return ds, bad
		}
	}
	return ds, nil
}

// outputs tracks files written by a subcommand so that all of them can be
// removed if a later one fails: an action leaves all outputs or none.
type outputs []string

func (o *outputs) add(p string) { *o = append(*o, p) }

func (o *outputs) removeAll() {
	for _, p := range *o {
		os.RemoveAll(p)
	}
}

// readLine reads a file holding one value (a digest, a version), without surrounding space.
func readLine(flagName, path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", flagName, err)
	}
	return strings.TrimSpace(string(b)), nil
}

// chooseForBase picks, from flag values "[base=]value", the value of the base the report of
// `imagetool image -verify-report` chose: the only one given, or the one named by that base.
func chooseForBase(flagName string, pkgs []string, reportFile string) (string, error) {
	if len(pkgs) == 0 {
		return "", nil
	}
	named := map[string]string{}
	var names []string
	for _, p := range pkgs {
		n, f, ok := strings.Cut(p, "=")
		if !ok {
			n, f = "", p
		}
		named[n] = f
		names = append(names, n)
	}
	if reportFile == "" {
		if len(pkgs) > 1 {
			return "", fmt.Errorf("%d %s values given; add -verify-report so the image's chosen base selects one", len(pkgs), flagName)
		}
		return named[names[0]], nil
	}
	r, err := baseselect.ReadReport(reportFile)
	if err != nil {
		return "", fmt.Errorf("-verify-report: %w", err)
	}
	f, ok := named[r.Base]
	if !ok {
		if len(pkgs) == 1 {
			return named[names[0]], nil
		}
		return "", fmt.Errorf("the image was built on base %q, but %s names only %s", r.Base, flagName, strings.Join(names, ", "))
	}
	return f, nil
}
