package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/linkmodetest"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/verify"
)

var samples *linkmodetest.Builder

func TestMain(m *testing.M) { linkmodetest.Main(m, &samples) }

// runCmd runs the command and returns its exit code and output.
func runCmd(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func writeJSON(t *testing.T, name string, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, name, string(b))
}

type cliCase struct {
	name   string
	args   []string
	code   int
	stdout []string // substrings
	stderr []string // substrings
}

func (c cliCase) check(t *testing.T) (string, string) {
	t.Helper()
	code, stdout, stderr := runCmd(c.args...)
	if code != c.code {
		t.Errorf("run(%q) = %d, want %d\nstdout:\n%s\nstderr:\n%s", c.args, code, c.code, stdout, stderr)
	}
	for _, s := range c.stdout {
		if !strings.Contains(stdout, s) {
			t.Errorf("stdout lacks %q:\n%s", s, stdout)
		}
	}
	for _, s := range c.stderr {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, stderr)
		}
	}
	return stdout, stderr
}

func TestUsage(t *testing.T) {
	for _, c := range []cliCase{
		{name: "no args", code: 2, stderr: []string{"usage: linkmode <command>"}},
		{name: "unknown", args: []string{"link"}, code: 2, stderr: []string{`unknown command "link": want plan, verify or stubs`}},
		{name: "help", args: []string{"help"}, code: 0, stdout: []string{"linkmode plan", "linkmode verify", "linkmode stubs", "Exit codes"}},
		{name: "plan -h", args: []string{"plan", "-h"}, code: 0, stderr: []string{"-platform"}},
		{name: "bad flag", args: []string{"plan", "-nope"}, code: 2, stderr: []string{"flag provided but not defined: -nope"}},
	} {
		t.Run(c.name, func(t *testing.T) { c.check(t) })
	}
}

var cgoFacts = linkmode.Facts{Packages: []linkmode.Package{
	{ImportPath: "example.com/app", Imports: []string{"example.com/x/sqlite", "net/http"}},
	{ImportPath: "example.com/x/sqlite", CgoFiles: []string{"sqlite.go"}},
	{ImportPath: "net/http", Standard: true, Imports: []string{"net"}},
	{ImportPath: "net", Standard: true},
}}

func TestPlanFacts(t *testing.T) {
	cgo := writeJSON(t, "cgo.json", cgoFacts)
	pure := writeJSON(t, "pure.json", linkmode.Facts{Packages: []linkmode.Package{{ImportPath: "example.com/app", Imports: []string{"net"}}}})
	typo := writeFile(t, "typo.json", `{"packages": [{"import_path": "a", "cgofiles": ["a.go"]}]}`)
	for _, c := range []cliCase{
		{name: "matrix", args: []string{"plan", "-facts", cgo}, code: 0, stdout: []string{
			"linux_amd64        ERROR  -        -       -           -\n",
			"linux_arm64_musl   on     static   static  musl,netgo  -s -w -linkmode external -extldflags -static\n",
			"linux_arm64_glibc  on     dynamic  glibc   -           -s -w -linkmode external\n",
			`  error: platform linux_arm64 has no libc (pure Go, CGO_ENABLED=0), but 1 package needs cgo: example.com/x/sqlite uses cgo (import "C" in sqlite.go). Pick a musl or glibc platform, e.g. linux_arm64_musl (static) or linux_arm64_glibc (dynamic).`,
			`  - package example.com/x/sqlite uses cgo (import "C" in sqlite.go) -> cgo on`,
		}},
		{name: "impossible platform", args: []string{"plan", "-facts", cgo, "-platform", "linux_amd64"}, code: 1, stderr: []string{
			"linkmode: platform linux_amd64 has no libc", "example.com/x/sqlite", "Pick a musl or glibc platform, e.g. linux_amd64_musl",
		}},
		{name: "possible platforms", args: []string{"plan", "-facts", cgo, "-platform", "linux_amd64_musl,linux_arm64_glibc"}, code: 0},
		{name: "tags", args: []string{"plan", "-facts", pure, "-tags", "prod", "-platform", "linux_amd64"}, code: 0, stdout: []string{"netgo,prod"}},
		{name: "bad platform", args: []string{"plan", "-facts", cgo, "-platform", "linux_amd64_uclibc"}, code: 2, stderr: []string{`unknown libc "uclibc": valid libcs are none, musl, glibc`}},
		{name: "bad arch", args: []string{"plan", "-facts", cgo, "-platform", "linux_riscv64"}, code: 2, stderr: []string{`valid arches are amd64, arm64`}},
		{name: "facts and patterns", args: []string{"plan", "-facts", cgo, "./..."}, code: 2, stderr: []string{"-facts cannot be combined with package patterns"}},
		{name: "missing facts", args: []string{"plan", "-facts", filepath.Join(t.TempDir(), "none.json")}, code: 2, stderr: []string{"reading facts"}},
		{name: "facts typo", args: []string{"plan", "-facts", typo}, code: 2, stderr: []string{`unknown field "cgofiles"`}},
	} {
		t.Run(c.name, func(t *testing.T) { c.check(t) })
	}
}

func TestPlanTableExact(t *testing.T) {
	pure := writeJSON(t, "pure.json", linkmode.Facts{Packages: []linkmode.Package{{ImportPath: "example.com/app", Imports: []string{"os/user"}}}})
	_, stdout, _ := runCmd("plan", "-facts", pure, "-platform", "linux_arm64", "-platform", "linux_arm64_glibc")
	want := `PLATFORM           CGO  LINK     BASE    TAGS      LDFLAGS
linux_arm64        off  static   static  osusergo  -s -w
linux_arm64_glibc  on   dynamic  glibc   -         -s -w -linkmode external

linux_arm64:
  - platform linux_arm64 has no libc -> cgo off (CGO_ENABLED=0)
  - Go's internal linker writes a static binary -> base "static" (runs on any base)
  - package os/user is used (imported by example.com/app) -> tag osusergo: users and groups from /etc/passwd and /etc/group
  - -s -w: no symbol table or DWARF (smaller image; build info stays readable)

linux_arm64_glibc:
  - package os/user is used (imported by example.com/app) -> cgo on, no osusergo tag: user lookups go through glibc NSS
  - glibc is linked dynamically (-linkmode external, zig cc -target aarch64-linux-gnu.<version> pins the newest GLIBC symbol version) -> base "glibc" with /lib/ld-linux-aarch64.so.1 and libc.so.6
  - -s -w: no symbol table or DWARF (smaller image; build info stays readable)
`
	if stdout != want {
		t.Errorf("table:\n%s\nwant:\n%s", stdout, want)
	}
}

func TestPlanJSON(t *testing.T) {
	cgo := writeJSON(t, "cgo.json", cgoFacts)
	code, stdout, _ := runCmd("plan", "-json", "-facts", cgo)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var r linkmode.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if r.SchemaVersion != 1 || r.FactsFile != cgo || len(r.Results) != 6 {
		t.Fatalf("report %+v: want schema 1, facts file, 6 results", r)
	}
	byName := map[string]linkmode.Result{}
	for _, res := range r.Results {
		byName[res.Platform] = res
	}
	if res := byName["linux_amd64"]; res.OK || res.Plan != nil || res.Packages[0] != "example.com/x/sqlite" {
		t.Errorf("linux_amd64 = %+v, want error naming example.com/x/sqlite", res)
	}
	musl := byName["linux_arm64_musl"].Plan
	if musl == nil || !musl.Cgo || musl.Link != linkmode.LinkStatic || musl.Base != linkmode.BaseStatic || musl.ZigTarget != "aarch64-linux-musl" {
		t.Errorf("linux_arm64_musl plan %+v", musl)
	}
	// The JSON field names are the interface for Bazel rules.
	for _, field := range []string{`"schema_version"`, `"facts_file"`, `"results"`, `"platform"`, `"ok"`, `"plan"`, `"error"`, `"packages"`,
		`"target"`, `"os"`, `"arch"`, `"libc"`, `"cgo"`, `"link"`, `"tags"`, `"ldflags"`, `"base"`, `"env"`, `"zig_target"`, `"interpreter"`, `"cgo_packages"`, `"reasons"`} {
		if !strings.Contains(stdout, field) {
			t.Errorf("JSON lacks field %s", field)
		}
	}
}

func TestPlanGoList(t *testing.T) {
	linkmodetest.RequireGo(t)
	dir := t.TempDir()
	for name, content := range map[string]string{
		"go.mod":         "module example.com/m\n\ngo 1.26\n",
		"main.go":        "package main\n\nimport (\n\t_ \"example.com/m/db\"\n\t_ \"os/user\"\n)\n\nfunc main() {}\n",
		"db/db.go":       "package db\n",
		"db/db_cgo.go":   "//go:build sqlite\n\npackage db\n\nimport \"C\"\n",
		"db/db_other.go": "//go:build !sqlite\n\npackage db\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("GOWORK", "off")
	for _, c := range []cliCase{
		{name: "pure", args: []string{"plan", "-C", dir, "-platform", "linux_amd64,linux_arm64_glibc"}, code: 0, stdout: []string{
			"linux_amd64        off  static   static  osusergo",
			"linux_arm64_glibc  on   dynamic  glibc   -",
		}},
		{name: "with tag", args: []string{"plan", "-C", dir, "-tags", "sqlite", "-platform", "linux_amd64", "./..."}, code: 1, stderr: []string{
			`example.com/m/db uses cgo (import "C" in db_cgo.go)`, "Pick a musl or glibc platform",
		}},
		{name: "not a module", args: []string{"plan", "-C", t.TempDir(), "-platform", "linux_amd64"}, code: 1, stderr: []string{"go list -deps for linux/amd64", "pass facts with -facts FILE"}},
	} {
		t.Run(c.name, func(t *testing.T) { c.check(t) })
	}
}

const (
	staticBase = "/etc/passwd\n/etc/ssl/certs/ca-certificates.crt\n/usr/share/zoneinfo/UTC\n"
	// The files of Debian's libc6 package that matter, as in a distroless
	// glibc base. A glibc 2.28 binary also needs libpthread.so.0, and
	// libresolv.so.2 when net uses cgo.
	glibcBase = `/lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
/lib/x86_64-linux-gnu/libc.so.6
/lib/x86_64-linux-gnu/libpthread.so.0
/lib/x86_64-linux-gnu/libresolv.so.2
/lib/x86_64-linux-gnu/libdl.so.2
/lib/x86_64-linux-gnu/libm.so.6
`
	loaderAndLibcOnly = "/lib64/ld-linux-x86-64.so.2\n/usr/lib/x86_64-linux-gnu/libc.so.6\n"
)

// bins maps the BIN placeholders of TestVerify to samples.
var bins = map[string][2]string{
	"{pure}":     {linkmodetest.Pure, "linux_amd64"},
	"{pure_arm}": {linkmodetest.Pure, "linux_arm64"},
	"{glibc}":    {linkmodetest.Cgo, "linux_amd64_glibc"},
	"{musl}":     {linkmodetest.Cgo, "linux_amd64_musl"},
}

func TestVerify(t *testing.T) {
	static := writeFile(t, "static.txt", staticBase)
	glibcList := writeFile(t, "glibc.txt", glibcBase)
	tooSmall := writeFile(t, "tiny.txt", loaderAndLibcOnly)
	empty := writeFile(t, "empty.txt", "")
	script := writeFile(t, "app.sh", "#!/bin/sh\n")
	const (
		pure, pureARM, glibc, musl = "{pure}", "{pure_arm}", "{glibc}", "{musl}"
	)

	for _, c := range []cliCase{
		{name: "pure ok", args: []string{"verify", "-expect-arch", "amd64", "-expect-libc", "none", "-expect-static", "-base-files", empty, pure}, code: 0,
			stdout: []string{"x86-64 (amd64)", "static (ELF EXEC)", "none (static Go binary built with CGO_ENABLED=0)", "CGO_ENABLED=0 tags=netgo,osusergo trimpath=true"}},
		{name: "pure arm64", args: []string{"verify", pureARM, "-expect-arch", "aarch64", "-expect-static"}, code: 0, stdout: []string{"aarch64 (arm64)"}},
		{name: "wrong arch", args: []string{"verify", "-expect-arch", "arm64", pure}, code: 1,
			stderr: []string{"linkmode: " + pure + " is built for amd64 (ELF machine x86-64), expected arm64. Build it for an arm64 platform"}},
		{name: "glibc ok", args: []string{"verify", "-expect-libc", "glibc", "-expect-arch", "amd64", "-max-glibc", "2.28", glibc}, code: 0,
			stdout: []string{"  interpreter ", " /lib64/ld-linux-x86-64.so.2\n", "needs GLIBC_2.28 (statx)", "CGO_ENABLED=1", "expect max_glibc  ok (want <= 2.28, got 2.28)"}},
		{name: "glibc too new", args: []string{"verify", "-max-glibc", "2.27", glibc}, code: 1,
			stderr: []string{"requires GLIBC_2.28 (statx), newer than -max-glibc 2.27"}},
		{name: "glibc not static", args: []string{"verify", "-expect-static", glibc}, code: 1,
			stderr: []string{"is dynamically linked (interpreter /lib64/ld-linux-x86-64.so.2, needs ", "expected static. Build for linux_amd64_musl"}},
		{name: "glibc not musl", args: []string{"verify", "-expect-libc", "musl", glibc}, code: 1, stderr: []string{"is linked against glibc", "expected musl"}},
		{name: "glibc on glibc base", args: []string{"verify", "-base-files", glibcList, "-base-glibc", "2.36", glibc}, code: 0,
			stdout: []string{`base "glibc"`, "ok: can start", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "2.36 (-base-glibc)"}},
		{name: "glibc on old base", args: []string{"verify", "-base-files", glibcList, "-base-glibc", "2.27", glibc}, code: 1,
			stderr: []string{"but the base has glibc 2.27 (-base-glibc)"}},
		{name: "glibc base without libpthread", args: []string{"verify", "-base-files", tooSmall, glibc}, code: 1,
			stderr: []string{`cannot start on base "tiny": it needs libpthread.so.0 (DT_NEEDED)`}},
		{name: "musl static", args: []string{"verify", "-expect-libc", "musl", "-expect-static", "-base-files", empty, musl}, code: 0,
			stdout: []string{"musl (static, musl ", `base "empty"`, "static binary: needs nothing from the base"}},
		{name: "musl on static base", args: []string{"verify", "-base-files", static, musl}, code: 0},
		{name: "not ELF", args: []string{"verify", script}, code: 1, stderr: []string{"is not an ELF binary (it looks like a script)"}},
		{name: "no binary", args: []string{"verify"}, code: 2, stderr: []string{"verify wants exactly one BINARY, got 0"}},
		{name: "two binaries", args: []string{"verify", pure, pureARM}, code: 2, stderr: []string{"got 2"}},
		{name: "missing binary", args: []string{"verify", filepath.Join(t.TempDir(), "app")}, code: 2, stderr: []string{"does not exist"}},
		{name: "bad libc", args: []string{"verify", "-expect-libc", "uclibc", pure}, code: 2, stderr: []string{"valid libcs are none, musl, glibc"}},
		{name: "bad arch", args: []string{"verify", "-expect-arch", "386", pure}, code: 2, stderr: []string{"valid arches are amd64, arm64"}},
		{name: "bad max-glibc", args: []string{"verify", "-max-glibc", "new", pure}, code: 2, stderr: []string{`bad version "new"`}},
		{name: "two bases", args: []string{"verify", "-base-files", static, "-base-root", t.TempDir(), pure}, code: 2, stderr: []string{"not both"}},
		{name: "base-glibc without base", args: []string{"verify", "-base-glibc", "2.36", pure}, code: 2, stderr: []string{"need -base-files or -base-root"}},
		{name: "missing base file", args: []string{"verify", "-base-files", filepath.Join(t.TempDir(), "x.txt"), pure}, code: 2, stderr: []string{"-base-files:"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			// Build only the samples this case uses, so that a missing zig
			// skips only the cgo cases.
			for i, a := range c.args {
				if b, ok := bins[a]; ok {
					c.args[i] = samples.Binary(t, b[0], b[1])
					for j := range c.stderr {
						c.stderr[j] = strings.ReplaceAll(c.stderr[j], a, c.args[i])
					}
				}
			}
			c.check(t)
		})
	}
}

// TestVerifyStaticBaseMessage checks the exact, single message for a
// glibc-dynamic binary on a static base.
func TestVerifyStaticBaseMessage(t *testing.T) {
	glibc := samples.Binary(t, linkmodetest.Cgo, "linux_amd64_glibc")
	static := writeFile(t, "static.txt", staticBase)
	code, _, stderr := runCmd("verify", "-base-files", static, glibc)
	want := "linkmode: " + glibc + ` cannot start on base "static": it is dynamically linked against glibc (interpreter /lib64/ld-linux-x86-64.so.2 is not in the base); the kernel would report "exec: no such file or directory". Use a glibc base (go_image base = "glibc" or "auto"), or build for linux_amd64_musl / linux_amd64 (static).` + "\n"
	if code != 1 || stderr != want {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and:\n%s", code, stderr, want)
	}
}

func TestVerifyBaseRoot(t *testing.T) {
	glibc := samples.Binary(t, linkmodetest.Cgo, "linux_amd64_glibc")
	root := t.TempDir()
	for _, p := range []string{"lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "lib/x86_64-linux-gnu/libc.so.6", "lib/x86_64-linux-gnu/libpthread.so.0", "lib/x86_64-linux-gnu/libresolv.so.2"} {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cliCase{name: "no loader", args: []string{"verify", "-base-root", root, "-base", "distroless", glibc}, code: 1,
		stderr: []string{`cannot start on base "distroless"`, "interpreter /lib64/ld-linux-x86-64.so.2 is not in the base"}}.check(t)
	if err := os.MkdirAll(filepath.Join(root, "lib64"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", filepath.Join(root, "lib64/ld-linux-x86-64.so.2")); err != nil {
		t.Fatal(err)
	}
	cliCase{name: "ok", args: []string{"verify", "-base-root", root, glibc}, code: 0, stdout: []string{"ok: can start"}}.check(t)
}

func TestVerifyJSON(t *testing.T) {
	glibc := samples.Binary(t, linkmodetest.Cgo, "linux_amd64_glibc")
	static := writeFile(t, "static.txt", staticBase)
	code, stdout, stderr := runCmd("verify", "-json", "-expect-arch", "amd64", "-expect-libc", "glibc", "-max-glibc", "2.27", "-base-files", static, glibc)
	if code != 1 || !strings.Contains(stderr, "newer than -max-glibc 2.27") || !strings.Contains(stderr, "cannot start on base") {
		t.Fatalf("exit %d stderr %q: want 1 and the base message", code, stderr)
	}
	var r verify.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if r.OK || r.SchemaVersion != 1 || len(r.Checks) != 3 || r.Base == nil || r.Base.OK || len(r.Failures) != 2 {
		t.Errorf("report %+v", r)
	}
	if b := r.Binary; b.Arch != "amd64" || b.Libc != "glibc" || b.Link != "dynamic" || b.GlibcMax != "2.28" || b.Go == nil || !b.Go.CgoEnabled {
		t.Errorf("binary %+v", b)
	}
	for _, field := range []string{`"schema_version"`, `"binary"`, `"path"`, `"machine"`, `"arch"`, `"elf_type"`, `"link"`, `"interpreter"`, `"needed"`,
		`"libc"`, `"libc_evidence"`, `"glibc_max"`, `"glibc_max_symbols"`, `"stripped"`, `"go"`, `"go_version"`, `"main"`, `"cgo_enabled"`, `"trimpath"`,
		`"goos"`, `"goarch"`, `"settings"`, `"checks"`, `"name"`, `"want"`, `"got"`, `"ok"`, `"message"`, `"base"`, `"libraries"`, `"found"`, `"problems"`, `"failures"`} {
		if !strings.Contains(stdout, field) {
			t.Errorf("JSON lacks field %s", field)
		}
	}
}
