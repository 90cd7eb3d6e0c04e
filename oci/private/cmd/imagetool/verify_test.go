package main

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode/elfinfo"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/deb/debtest"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/layout"
)

// elfSpec describes a synthetic ELF file: just the parts elfinfo reads.
type elfSpec struct {
	machine elf.Machine
	interp  string   // PT_INTERP; makes it dynamic
	needed  []string // DT_NEEDED
	rodata  string   // content of an allocated read-only section
	goCgo   string   // "0" or "1": Go build info with this CGO_ENABLED
}

// writeELF writes a minimal 64-bit little-endian ELF executable; it does not
// run, but debug/elf, debug/buildinfo and elfinfo read it like a real one.
func writeELF(t *testing.T, path string, s elfSpec) {
	t.Helper()
	type section struct {
		name    string
		typ     elf.SectionType
		flags   elf.SectionFlag
		link    uint32
		entsize uint64
		data    []byte
	}
	secs := []section{{}} // index 0 is the null section
	if s.interp != "" {
		secs = append(secs, section{name: ".interp", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC, data: []byte(s.interp + "\x00")})
	}
	if len(s.needed) > 0 {
		dynstr := []byte{0}
		var dyn bytes.Buffer
		for _, n := range s.needed {
			binary.Write(&dyn, binary.LittleEndian, elf.Dyn64{Tag: int64(elf.DT_NEEDED), Val: uint64(len(dynstr))})
			dynstr = append(append(dynstr, n...), 0)
		}
		binary.Write(&dyn, binary.LittleEndian, elf.Dyn64{Tag: int64(elf.DT_NULL)})
		secs = append(secs, section{name: ".dynstr", typ: elf.SHT_STRTAB, flags: elf.SHF_ALLOC, data: dynstr})
		secs = append(secs, section{name: ".dynamic", typ: elf.SHT_DYNAMIC, flags: elf.SHF_ALLOC | elf.SHF_WRITE,
			link: uint32(len(secs) - 1), entsize: 16, data: dyn.Bytes()})
	}
	if s.rodata != "" {
		secs = append(secs, section{name: ".rodata", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC, data: []byte(s.rodata)})
	}
	if s.goCgo != "" {
		bi := debug.BuildInfo{GoVersion: "go1.26.0", Path: "example.com/app", Main: debug.Module{Path: "example.com/app", Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "CGO_ENABLED", Value: s.goCgo}, {Key: "GOARCH", Value: "amd64"}, {Key: "GOOS", Value: "linux"}}}
		sentinel := strings.Repeat("\x00", 16)
		mod := sentinel + bi.String() + sentinel
		blob := append([]byte("\xff Go buildinf:\x08\x02"), make([]byte, 16)...)
		blob = binary.AppendUvarint(blob, uint64(len(bi.GoVersion)))
		blob = append(blob, bi.GoVersion...)
		blob = binary.AppendUvarint(blob, uint64(len(mod)))
		blob = append(blob, mod...)
		secs = append(secs, section{name: ".go.buildinfo", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC | elf.SHF_WRITE, data: blob})
	}
	shstrtab := []byte{0}
	names := make([]uint32, len(secs)+1)
	for i, sec := range append(secs, section{name: ".shstrtab"}) {
		if i > 0 {
			names[i] = uint32(len(shstrtab))
			shstrtab = append(append(shstrtab, sec.name...), 0)
		}
	}
	secs = append(secs, section{name: ".shstrtab", typ: elf.SHT_STRTAB, data: shstrtab})

	phnum := 1
	if s.interp != "" {
		phnum++
	}
	// Section contents follow the headers; a single PT_LOAD maps the whole
	// file at address 0, so every section's address is its offset.
	off := uint64(64 + 56*phnum)
	offs := make([]uint64, len(secs))
	for i := 1; i < len(secs); i++ {
		off = (off + 15) &^ 15
		offs[i] = off
		off += uint64(len(secs[i].data))
	}
	shoff := (off + 7) &^ 7
	size := shoff + uint64(64*len(secs))

	var b bytes.Buffer
	w := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	typ := elf.ET_EXEC
	if s.interp != "" {
		typ = elf.ET_DYN
	}
	var ident [16]byte
	copy(ident[:], elf.ELFMAG)
	ident[elf.EI_CLASS], ident[elf.EI_DATA], ident[elf.EI_VERSION] = byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), byte(elf.EV_CURRENT)
	w(elf.Header64{Ident: ident, Type: uint16(typ), Machine: uint16(s.machine), Version: uint32(elf.EV_CURRENT),
		Phoff: 64, Shoff: shoff, Ehsize: 64, Phentsize: 56, Phnum: uint16(phnum), Shentsize: 64,
		Shnum: uint16(len(secs)), Shstrndx: uint16(len(secs) - 1)})
	w(elf.Prog64{Type: uint32(elf.PT_LOAD), Flags: uint32(elf.PF_R), Filesz: size, Memsz: size, Align: 0x1000})
	if s.interp != "" {
		n := uint64(len(secs[1].data))
		w(elf.Prog64{Type: uint32(elf.PT_INTERP), Flags: uint32(elf.PF_R), Off: offs[1], Vaddr: offs[1], Paddr: offs[1], Filesz: n, Memsz: n, Align: 1})
	}
	for i := 1; i < len(secs); i++ {
		b.Write(make([]byte, int(offs[i])-b.Len()))
		b.Write(secs[i].data)
	}
	b.Write(make([]byte, int(shoff)-b.Len()))
	for i, sec := range secs {
		sh := elf.Section64{Name: names[i], Type: uint32(sec.typ), Flags: uint64(sec.flags), Link: sec.link, Entsize: sec.entsize,
			Size: uint64(len(sec.data)), Off: offs[i], Addralign: 1}
		if sec.flags&elf.SHF_ALLOC != 0 {
			sh.Addr = offs[i]
		}
		w(sh)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o755); err != nil {
		t.Fatal(err)
	}
}

// Synthetic binaries.
var (
	glibcDynamic = elfSpec{machine: elf.EM_X86_64, interp: "/lib64/ld-linux-x86-64.so.2", needed: []string{"libc.so.6"}}
	glibcArm64   = elfSpec{machine: elf.EM_AARCH64, interp: "/lib/ld-linux-aarch64.so.1", needed: []string{"libc.so.6"}}
	muslDynamic  = elfSpec{machine: elf.EM_X86_64, interp: "/lib/ld-musl-x86_64.so.1", needed: []string{"libc.so"}}
	muslStatic   = elfSpec{machine: elf.EM_X86_64, rodata: "No error information\x00"}
	pureGo       = elfSpec{machine: elf.EM_X86_64, goCgo: "0"}
	needsLibfoo  = elfSpec{machine: elf.EM_X86_64, interp: "/lib64/ld-linux-x86-64.so.2", needed: []string{"libfoo.so.1", "libc.so.6"}}
)

func TestSyntheticELF(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		spec elfSpec
		arch string
		link string
		libc string
	}{
		{"glibc dynamic", glibcDynamic, "amd64", "dynamic", "glibc"},
		{"glibc arm64", glibcArm64, "arm64", "dynamic", "glibc"},
		{"musl dynamic", muslDynamic, "amd64", "dynamic", "musl"},
		{"musl static", muslStatic, "amd64", "static", "musl"},
		{"pure go", pureGo, "amd64", "static", "none"},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
		writeELF(t, p, tc.spec)
		info, err := elfinfo.Inspect(p)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if string(info.Arch) != tc.arch || string(info.Link) != tc.link || string(info.Libc) != tc.libc ||
			info.Interpreter != tc.spec.interp || !reflect.DeepEqual(info.Needed, tc.spec.needed) {
			t.Errorf("%s: elfinfo says %+v", tc.name, info)
		}
	}
}

// verifyFixture holds amd64 static, musl and glibc bases.
type verifyFixture struct {
	dir                 string
	static, musl, glibc string
	bins                map[string]string // name -> host path
	layers              map[string]string // name -> layer tar with the binary at /app/server
}

func newVerifyFixture(t *testing.T) *verifyFixture {
	t.Helper()
	dir := t.TempDir()
	f := &verifyFixture{dir: dir, bins: map[string]string{}, layers: map[string]string{}}
	for _, b := range []struct {
		kind, libc string
		out        *string
	}{{"static", "", &f.static}, {"musl", "musl", &f.musl}, {"glibc", "glibc", &f.glibc}} {
		debDir := filepath.Join(dir, "debs_"+b.kind)
		os.Mkdir(debDir, 0o755)
		debs, err := debtest.FakeDistro(debDir, "amd64", b.libc)
		if err != nil {
			t.Fatal(err)
		}
		*b.out = filepath.Join(dir, "base_"+b.kind)
		imagetool(t, append([]string{"base", "-arch", "amd64", "-kind", b.kind, "-out", *b.out}, debArgs(debs)...)...)
	}
	for name, spec := range map[string]elfSpec{
		"glibc": glibcDynamic, "arm64": glibcArm64, "musl-dynamic": muslDynamic, "musl-static": muslStatic, "pure": pureGo, "libfoo": needsLibfoo,
	} {
		f.addBinary(t, name, func(p string) { writeELF(t, p, spec) })
	}
	return f
}

// addBinary makes a binary with build and a layer putting it at /app/server.
func (f *verifyFixture) addBinary(t *testing.T, name string, build func(path string)) {
	t.Helper()
	bin := filepath.Join(f.dir, "bin_"+name)
	build(bin)
	tarPath := filepath.Join(f.dir, "layer_"+name+".tar")
	imagetool(t, "layer", "-out", tarPath, "-file", "/app/server="+bin)
	f.bins[name], f.layers[name] = bin, tarPath
}

// imagetoolStderr runs a subcommand and returns its stderr and error.
func imagetoolStderr(args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	if code := run(args, &stdout, &stderr); code != 0 {
		return stderr.String(), cmdError{stderr.String()}
	}
	return stderr.String(), nil
}

// report mirrors the -verify-report JSON.
type report struct {
	Base       string `json:"base"`
	Candidates []struct {
		Name   string `json:"name"`
		OK     bool   `json:"ok"`
		Reason string `json:"reason"`
	} `json:"candidates"`
	Binaries []struct {
		Binary struct {
			Path string `json:"path"`
			Libc string `json:"libc"`
		} `json:"binary"`
		Checks []struct {
			Name string `json:"name"`
			OK   bool   `json:"ok"`
		} `json:"checks"`
		Base struct {
			Name        string `json:"name"`
			OK          bool   `json:"ok"`
			Interpreter string `json:"interpreter"`
			Glibc       string `json:"glibc"`
			GlibcSource string `json:"glibc_source"`
		} `json:"base"`
		OK bool `json:"ok"`
	} `json:"binaries"`
}

func TestImageVerify(t *testing.T) {
	f := newVerifyFixture(t)
	static, musl, glibc := "static="+f.static, "musl="+f.musl, "glibc="+f.glibc
	auto := []string{static, musl, glibc}
	glibcStatic := `/app/server cannot start on base "static": it is dynamically linked against glibc (interpreter /lib64/ld-linux-x86-64.so.2 is not in the base); the kernel would report "exec: no such file or directory". Use a glibc base (go_image base = "glibc" or "auto"), or build for linux_amd64_musl / linux_amd64 (static).`
	for _, tc := range []struct {
		name       string
		bases      []string
		bin        string   // binary at /app/server, verified
		extra      []string // more flags
		wantErr    []string // substrings of the error; empty: success
		wantBase   string
		candidates []bool // ok of each checked candidate
		libc       string // io.rules_go_cross.libc label
	}{
		{name: "glibc dynamic on static fails", bases: []string{static}, bin: "glibc",
			wantErr: []string{`the -verify binaries cannot start on base "static":`, glibcStatic}},
		{name: "glibc dynamic on musl fails", bases: []string{musl}, bin: "glibc",
			wantErr: []string{`/app/server cannot start on base "musl": it is dynamically linked against glibc (interpreter /lib64/ld-linux-x86-64.so.2 is not in the base`}},
		{name: "glibc dynamic on glibc", bases: []string{glibc}, bin: "glibc", wantBase: "glibc", candidates: []bool{true}, libc: "glibc"},
		{name: "auto picks glibc for glibc dynamic", bases: auto, bin: "glibc", wantBase: "glibc", candidates: []bool{false, false, true}, libc: "glibc"},
		{name: "auto picks musl for musl dynamic", bases: auto, bin: "musl-dynamic", wantBase: "musl", candidates: []bool{false, true}, libc: "musl"},
		{name: "auto picks static for static musl", bases: auto, bin: "musl-static", wantBase: "static", candidates: []bool{true}, libc: "musl"},
		{name: "auto picks static for pure go", bases: auto, bin: "pure", wantBase: "static", candidates: []bool{true}, libc: "none"},
		{name: "pure go on glibc sets libc none", bases: []string{glibc}, bin: "pure", wantBase: "glibc", candidates: []bool{true}, libc: "none"},
		{name: "base named after its directory", bases: []string{f.static}, bin: "pure", wantBase: "base_static", candidates: []bool{true}, libc: "none"},
		{name: "no candidate fits", bases: []string{static, musl}, bin: "glibc",
			wantErr: []string{"none of the 2 -base candidates can start every -verify binary:", `base "static":`, glibcStatic, `base "musl":`, "build them for a musl or pure (static) platform"}},
		{name: "missing library", bases: auto, bin: "libfoo",
			wantErr: []string{`base "glibc":`, "it needs libfoo.so.1 (DT_NEEDED), which is not in", "Add libfoo.so.1 to the base, or link it statically"}},
		{name: "wrong architecture", bases: []string{glibc}, bin: "arm64",
			wantErr: []string{"/app/server is built for arm64 (ELF machine aarch64), expected amd64. Build it for an amd64 platform"}},
		{name: "binary not in the image", bases: []string{static}, bin: "pure", extra: []string{"-verify", "/app/other=BIN"},
			wantErr: []string{`/app/other is not a file in the image on base "static"`}},
		{name: "-libc-label=false keeps the base's label", bases: []string{static}, bin: "musl-static", extra: []string{"-libc-label=false"},
			wantBase: "static", candidates: []bool{true}, libc: "none"},
		{name: "explicit -label wins", bases: []string{static}, bin: "musl-static", extra: []string{"-label", "io.rules_go_cross.libc=custom"},
			wantBase: "static", candidates: []bool{true}, libc: "custom"},
		{name: "without -verify the base's label stays", bases: []string{glibc}, bin: "", wantBase: "glibc", candidates: []bool{true}, libc: "glibc"},
		{name: "without -verify the first candidate is used", bases: auto, bin: "", wantBase: "static", candidates: []bool{true}, libc: "none"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "img")
			rep := filepath.Join(filepath.Dir(out), "report.json")
			layerName := tc.bin
			if layerName == "" {
				layerName = "pure"
			}
			args := []string{"image", "-layer", f.layers[layerName], "-out", out, "-verify-report", rep}
			for _, b := range tc.bases {
				args = append(args, "-base", b)
			}
			if tc.bin != "" {
				args = append(args, "-verify", "/app/server="+f.bins[tc.bin])
			}
			for _, e := range tc.extra {
				args = append(args, strings.ReplaceAll(e, "BIN", f.bins[tc.bin]))
			}
			stderr, err := imagetoolStderr(args...)
			if len(tc.wantErr) > 0 {
				if err == nil {
					t.Fatal("succeeded, want an error")
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error:\n%v\nwant it to contain:\n%s", err, w)
					}
				}
				for _, o := range []string{out, rep} {
					if _, err := os.Stat(o); !os.IsNotExist(err) {
						t.Errorf("output %s exists after a failure", o)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(stderr, " on base "+tc.wantBase+"\n") {
				t.Errorf("stderr %q does not name base %s", stderr, tc.wantBase)
			}
			raw, err := os.ReadFile(rep)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(raw, []byte(f.dir)) {
				t.Errorf("report contains the host path %s:\n%s", f.dir, raw)
			}
			var r report
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatal(err)
			}
			var oks []bool
			for _, c := range r.Candidates {
				oks = append(oks, c.OK)
				if c.Reason == "" || (!c.OK && !strings.Contains(c.Reason, "cannot start on base "+`"`+c.Name+`"`)) {
					t.Errorf("candidate %+v lacks a reason", c)
				}
			}
			if r.Base != tc.wantBase || !reflect.DeepEqual(oks, tc.candidates) || r.Candidates[len(r.Candidates)-1].Name != tc.wantBase {
				t.Errorf("report base %q candidates %+v, want %s and ok %v", r.Base, r.Candidates, tc.wantBase, tc.candidates)
			}
			wantBins := 0
			if tc.bin != "" {
				wantBins = 1
			}
			if len(r.Binaries) != wantBins {
				t.Fatalf("report binaries %+v, want %d", r.Binaries, wantBins)
			}
			if wantBins == 1 {
				b := r.Binaries[0]
				if b.Binary.Path != "/app/server" || !b.OK || b.Base.Name != tc.wantBase || !b.Base.OK ||
					len(b.Checks) != 1 || b.Checks[0].Name != "arch" || !b.Checks[0].OK {
					t.Errorf("binary report %+v", b)
				}
			}
			img, err := layout.ReadImage(out)
			if err != nil {
				t.Fatal(err)
			}
			cfg, _ := img.ConfigFile()
			if got := cfg.Config.Labels["io.rules_go_cross.libc"]; got != tc.libc {
				t.Errorf("libc label %q, want %q", got, tc.libc)
			}
			m, _ := img.Manifest()
			chosen, _ := layout.Top(map[string]string{"static": f.static, "musl": f.musl, "glibc": f.glibc, "base_static": f.static}[tc.wantBase])
			if m.Annotations["org.opencontainers.image.base.digest"] != chosen.Digest.String() {
				t.Errorf("image built on %s, want base %s (%s)", m.Annotations["org.opencontainers.image.base.digest"], tc.wantBase, chosen.Digest)
			}
		})
	}
}

// TestImageVerifyReportDeterministic builds the same image twice from
// binaries at different host paths: the reports are identical.
func TestImageVerifyReportDeterministic(t *testing.T) {
	f := newVerifyFixture(t)
	var reports [][]byte
	for i, name := range []string{"glibc", "glibc-copy"} {
		if i > 0 {
			f.addBinary(t, name, func(p string) { writeELF(t, p, glibcDynamic) })
		}
		out := filepath.Join(f.dir, "img_"+name)
		rep := out + ".json"
		imagetool(t, "image", "-base", "static="+f.static, "-base", "glibc="+f.glibc, "-layer", f.layers[name],
			"-verify", "/app/server="+f.bins[name], "-verify-report", rep, "-out", out)
		b, _ := os.ReadFile(rep)
		reports = append(reports, b)
	}
	if !bytes.Equal(reports[0], reports[1]) {
		t.Errorf("reports differ:\n%s\n%s", reports[0], reports[1])
	}
}

// TestImageVerifyCompiled checks a glibc-dynamic binary built by the host C
// compiler, which also requires a GLIBC_x.y version the base must provide.
func TestImageVerifyCompiled(t *testing.T) {
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler (cc) in PATH; the synthetic ELF files cover the checks")
	}
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skipf("the test bases are linux/amd64, the host is %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	f := newVerifyFixture(t)
	src := filepath.Join(f.dir, "main.c")
	os.WriteFile(src, []byte("int main(void) { return 0; }\n"), 0o644)
	f.addBinary(t, "cc", func(p string) {
		if out, err := exec.Command(cc, "-o", p, src).CombinedOutput(); err != nil {
			t.Skipf("cc cannot build a program: %v\n%s", err, out)
		}
	})
	info, err := elfinfo.Inspect(f.bins["cc"])
	if err != nil {
		t.Fatal(err)
	}
	if info.Libc != "glibc" || info.Link != "dynamic" || info.Interpreter != "/lib64/ld-linux-x86-64.so.2" {
		t.Skipf("cc does not build glibc-dynamic binaries (%s, %s, %s)", info.Libc, info.Link, info.Interpreter)
	}
	_, err = imagetoolStderr("image", "-base", "static="+f.static, "-layer", f.layers["cc"], "-verify", "/app/server="+f.bins["cc"], "-out", filepath.Join(f.dir, "fail"))
	if err == nil || !strings.Contains(err.Error(), `/app/server cannot start on base "static": it is dynamically linked against glibc (interpreter /lib64/ld-linux-x86-64.so.2 is not in the base); the kernel would report "exec: no such file or directory"`) {
		t.Errorf("on static: %v", err)
	}
	rep := filepath.Join(f.dir, "cc.json")
	imagetool(t, "image", "-base", "static="+f.static, "-base", "musl="+f.musl, "-base", "glibc="+f.glibc, "-layer", f.layers["cc"],
		"-verify", "/app/server="+f.bins["cc"], "-verify-report", rep, "-out", filepath.Join(f.dir, "ok"))
	var r report
	raw, _ := os.ReadFile(rep)
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	if r.Base != "glibc" || len(r.Binaries) != 1 || r.Binaries[0].Base.Interpreter != "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" {
		t.Errorf("report %s", raw)
	}
	if info.GlibcMax != "" {
		need, _ := elfinfo.ParseVersion(info.GlibcMax)
		if need.Compare(elfinfo.Version{2, 36}) > 0 {
			t.Skipf("the host's cc links against GLIBC_%s, newer than the fake base's 2.36", info.GlibcMax)
		}
		if b := r.Binaries[0].Base; b.Glibc != "2.36" || b.GlibcSource != "/var/lib/dpkg/status.d/libc6" {
			t.Errorf("base glibc %q from %q, want 2.36 from the dpkg status", b.Glibc, b.GlibcSource)
		}
	}
}

func TestImageVerifyFlags(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ in, image, host string }{
		{"/app/server=bazel-out/bin/server", "/app/server", "bazel-out/bin/server"},
		{"/app//x/=a=b", "/app/x", "a=b"},
		{"app/server=x", "", ""},
		{"/app/server", "", ""},
		{"/app/server=", "", ""},
	} {
		image, host, err := parseVerifySpec(tc.in)
		if (err != nil) != (tc.image == "") || image != tc.image || host != tc.host {
			t.Errorf("parseVerifySpec(%q) = %q, %q, %v", tc.in, image, host, err)
		}
	}
	// Flag errors that need no base.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-base", "x", "-base", "x", "-out", filepath.Join(dir, "o1")}, `-base name "x" is given twice`},
		{[]string{"-base", dir, "-verify", "server", "-out", filepath.Join(dir, "o2")}, `-verify "server" is not /path/in/image=host/path`},
	} {
		if _, err := tryImagetool(append([]string{"image"}, tc.args...)...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("image %q: %v, want %q", tc.args, err, tc.want)
		}
	}
}
