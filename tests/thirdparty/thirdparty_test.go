// Package thirdparty_test runs programs built on third-party cgo modules from the Go module proxy
// (fetched with gazelle's go_deps) for the four cgo platforms: amd64 natively, arm64 under
// qemu-aarch64 (glibc with a root unpacked from Debian's arm64 libc6).
//
//   - github.com/DataDog/zstd: C sources and x86-64 assembly (.S) for the C compiler, pthreads.
//   - github.com/valyala/gozstd: prebuilt static archives per libc and architecture, picked by
//     the musl build tag (patches/gozstd.patch gives it its BUILD file).
//   - github.com/yanyiwu/gojieba: C++ inside the Go package (jieba.cpp and the cppjieba header
//     library), the C++ runtime linked without any flag of the user's (patches/gojieba.patch).
//   - github.com/asg017/sqlite-vec-go-bindings/cgo with github.com/mattn/go-sqlite3: C in one Go
//     package (sqlite-vec.c) calling C defined in another (the SQLite amalgamation), the header
//     it includes from go-sqlite3 (patches/sqlite-vec.patch).
package thirdparty_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/tests/internal/crossbin"
)

var (
	binaries   = flag.String("binaries", "", "comma-separated <module>/<platform>=path pairs")
	arm64Libc6 = flag.String("arm64_libc6", "", "Debian libc6 .deb for arm64 (root for qemu-aarch64 -L)")
	jiebaDict  = flag.String("jieba_dict", "", "gojieba's dictionaries, space-separated rootpaths")
)

// The programs and what each prints, with %s the GOARCH.
var programs = map[string]string{
	"ddzstd":    "DataDog/zstd 1500000 -> 164 bytes with 2 workers and back on linux/%s\n",
	"gozstd":    "gozstd 15000 -> 33 bytes and back on linux/%s\n",
	"jieba":     "我/来到/北京/清华大学 on linux/%s\n",
	"sqlitevec": "sqlite-vec v0.1.6: nearest to [0.8 0.2 0]: 3 (0.14), 1 (0.28) on linux/%s\n",
	// No GOARCH in it: %.0s drops the argument.
	"crosspkg": "%.0squadruple(5) = 20, twice(5) = 10\n",
}

// jiebaArgs are the dictionaries, in the order jieba's command line wants them.
func jiebaArgs(t *testing.T) []string {
	t.Helper()
	byName := map[string]string{}
	for _, p := range strings.Fields(*jiebaDict) {
		byName[filepath.Base(p)] = crossbin.Runfile(p)
	}
	var args []string
	for _, name := range []string{"jieba.dict.utf8", "hmm_model.utf8", "user.dict.utf8", "idf.utf8", "stop_words.utf8"} {
		p, ok := byName[name]
		if !ok {
			t.Fatalf("-jieba_dict lacks %s", name)
		}
		args = append(args, p)
	}
	return args
}

var platforms = map[string]struct{ goarch, libc string }{
	"linux_amd64_musl":  {"amd64", "musl"},
	"linux_arm64_musl":  {"arm64", "musl"},
	"linux_amd64_glibc": {"amd64", "glibc"},
	"linux_arm64_glibc": {"arm64", "glibc"},
}

func TestRuns(t *testing.T) {
	var want []string
	for prog := range programs {
		for p := range platforms {
			want = append(want, prog+"/"+p)
		}
	}
	bins := crossbin.Parse(t, *binaries, want)
	// In the parent test: a subtest's TempDir goes with the subtest.
	root := crossbin.DebRoot(t, *arm64Libc6)
	for name, path := range bins {
		t.Run(name, func(t *testing.T) {
			prog, platform, _ := strings.Cut(name, "/")
			p := platforms[platform]
			sysroot := ""
			if p.goarch != runtime.GOARCH && p.libc == "glibc" {
				sysroot = root
			}
			var args []string
			if prog == "jieba" {
				args = jiebaArgs(t)
			}
			cmd := crossbin.Command(t, p.goarch, sysroot, path, args...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v: %v\n%s", cmd.Args, err, out)
			}
			if w := fmt.Sprintf(programs[prog], p.goarch); string(out) != w {
				t.Errorf("printed %q, want %q", out, w)
			}
		})
	}
}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(m.Run())
}
