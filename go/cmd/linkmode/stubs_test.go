package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestStubs(t *testing.T) {
	const cgoGo = "package p\n\n// int one(void) { return 1; }\nimport \"C\"\n\nfunc One() int { return int(C.one()) }\n"
	const stubGo = "//go:build !cgo\n\npackage p\n\nfunc One() int { panic(\"built without cgo\") }\n"
	dir := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	driver := []string{write("driver/p.go", "//go:build cgo\n\n"+cgoGo), write("driver/stub.go", stubGo)}
	// golang.org/x/sys/unix's shape: cgo = True in its BUILD file, C only for gccgo.
	xsys := []string{write("xsys/p.go", "package p\n"), write("xsys/gccgo_c.c", "//go:build gccgo\n\nint x;\n")}
	armOnly := []string{write("arm/p.go", "package p\n"), write("arm/p_arm64.go", cgoGo)}
	tagged := []string{write("tagged/p.go", "package p\n"), write("tagged/p_cgo.go", "//go:build withc\n\n"+cgoGo)}
	cdepsOnly := []string{write("cdeps/p.go", "package p\n")}

	type pkg struct {
		ImportPath string   `json:"importpath"`
		Label      string   `json:"label"`
		Files      []string `json:"files"`
		CDeps      []string `json:"cdeps"`
	}
	check := func(goarch string, tags []string, pkgs ...pkg) map[string]any {
		return map[string]any{
			"who": "go_image //app:image", "binary": "//app", "platform": "linux_" + goarch, "goarch": goarch,
			"suggest": []string{"linux_" + goarch + "_musl", "linux_" + goarch + "_glibc"}, "tags": tags,
			"fallback_flag": "--@rules_go_cross//go:cgo_pure_fallback", "packages": pkgs,
		}
	}
	drv := pkg{"example.com/driver", "@driver//:driver", driver, nil}
	for _, c := range []struct {
		name  string
		check map[string]any
		code  int
		err   []string
		stubs int
	}{
		{
			name: "a cgo driver with a stub", check: check("amd64", nil, drv), code: 1, stubs: 1,
			err: []string{
				`go_image //app:image: //app imports example.com/driver, which has C sources (uses cgo (import "C" in p.go)) and was compiled with cgo off (linux_amd64); build for linux_amd64_musl or linux_amd64_glibc`,
				"--@rules_go_cross//go:cgo_pure_fallback=example.com/driver",
				"  example.com/driver: @driver//:driver",
			},
		},
		{name: "C only for gccgo (x/sys/unix)", check: check("amd64", nil, pkg{"golang.org/x/sys/unix", "@x//unix", xsys, nil}), code: 0},
		{name: "cgo only on arm64, built for amd64", check: check("amd64", nil, pkg{"example.com/arm", "//arm", armOnly, nil}), code: 0},
		{name: "cgo only on arm64, built for arm64", check: check("arm64", nil, pkg{"example.com/arm", "//arm", armOnly, nil}), code: 1, stubs: 1, err: []string{"build for linux_arm64_musl or linux_arm64_glibc"}},
		{name: "cgo behind a tag that is off", check: check("amd64", nil, pkg{"example.com/tagged", "//tagged", tagged, nil}), code: 0},
		{name: "cgo behind a tag that is on", check: check("amd64", []string{"withc"}, pkg{"example.com/tagged", "//tagged", tagged, nil}), code: 1, stubs: 1},
		{name: "cdeps", check: check("amd64", nil, pkg{"example.com/cdeps", "//cdeps", cdepsOnly, []string{"//clib:c"}}), code: 1, stubs: 1, err: []string{"links C/C++ libraries (cdeps //clib:c)"}},
		{name: "bad goarch", check: check("riscv64", nil, drv), code: 2, err: []string{`goarch "riscv64": want one of amd64, arm64`}},
		{name: "missing file", check: check("amd64", nil, pkg{"example.com/gone", "//gone", []string{filepath.Join(dir, "gone.go")}, nil}), code: 1, err: []string{"example.com/gone", "gone.go"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := writeJSON(t, "check.json", c.check)
			out := filepath.Join(t.TempDir(), "report.json")
			cliCase{name: c.name, args: []string{"stubs", "-in", in, "-out", out}, code: c.code, stderr: c.err}.check(t)
			if c.code == 2 {
				return
			}
			data, err := os.ReadFile(out)
			if c.code == 1 && len(c.err) > 0 && c.stubs == 0 {
				return // failed before the report
			}
			if err != nil {
				t.Fatal(err)
			}
			var r stubsReport
			if err := json.Unmarshal(data, &r); err != nil {
				t.Fatal(err)
			}
			if len(r.Stubs) != c.stubs {
				t.Errorf("report lists %d stubs, want %d: %s", len(r.Stubs), c.stubs, data)
			}
		})
	}
}
