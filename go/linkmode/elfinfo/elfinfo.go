// Package elfinfo inspects a linked Linux binary with debug/elf and
// debug/buildinfo: machine, static or dynamic link, interpreter, DT_NEEDED
// libraries, libc flavour, the newest GLIBC symbol version it requires and
// the Go build information.
//
// The libc flavour is decided in this order:
//   - an interpreter named after a C library's loader (the platform table's
//     LoaderPrefix: ld-musl-*, ld-linux*) means that library; a needed
//     libc.musl-*/libc.so means musl, a needed libc.so.6 glibc;
//   - a static Go binary built with CGO_ENABLED=0 has libc "none";
//   - a static binary with C code is musl or glibc by markers: symbol names
//     (when not stripped), glibc's .note.ABI-tag, and libc strings in the
//     read-only data (musl's "No error information", glibc's "GNU C Library");
//   - a static binary without markers is "none" for Go binaries and
//     "unknown" otherwise.
package elfinfo

import (
	"bytes"
	"debug/buildinfo"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/platforms/platform"
)

// LibcUnknown is reported when the flavour cannot be told.
const LibcUnknown linkmode.Libc = "unknown"

// Info describes a binary. The JSON field names are stable.
type Info struct {
	Path        string        `json:"path"`
	Machine     string        `json:"machine"`  // ELF machine: x86-64, aarch64, ...
	Arch        linkmode.Arch `json:"arch"`     // GOARCH for Machine; empty if unsupported
	Type        string        `json:"elf_type"` // EXEC or DYN
	Link        linkmode.Link `json:"link"`     // static, static-pie or dynamic
	Interpreter string        `json:"interpreter,omitempty"`
	Needed      []string      `json:"needed,omitempty"`  // DT_NEEDED, in order
	RunPath     []string      `json:"runpath,omitempty"` // DT_RUNPATH and DT_RPATH entries
	Libc        linkmode.Libc `json:"libc"`              // musl, glibc, none or unknown
	// LibcEvidence says how Libc was decided.
	LibcEvidence string `json:"libc_evidence"`
	// GlibcMax is the newest GLIBC_x.y symbol version required ("" if none).
	GlibcMax string `json:"glibc_max,omitempty"`
	// GlibcMaxSymbols are the symbols that require GlibcMax (at most 5).
	GlibcMaxSymbols []string `json:"glibc_max_symbols,omitempty"`
	Stripped        bool     `json:"stripped"` // no .symtab
	Go              *GoInfo  `json:"go,omitempty"`
}

// GoInfo is the Go build information embedded in the binary.
type GoInfo struct {
	GoVersion  string            `json:"go_version"`
	Path       string            `json:"path"`        // main package path
	Main       Module            `json:"main"`        // main module
	CgoEnabled bool              `json:"cgo_enabled"` // CGO_ENABLED=1
	Tags       []string          `json:"tags,omitempty"`
	Trimpath   bool              `json:"trimpath"`
	GOOS       string            `json:"goos"`
	GOARCH     string            `json:"goarch"`
	BuildMode  string            `json:"buildmode,omitempty"`
	LDFlags    string            `json:"ldflags,omitempty"`
	Modules    []Module          `json:"modules,omitempty"`  // dependencies
	Settings   map[string]string `json:"settings,omitempty"` // all build settings
}

// Module is a module in the build information.
type Module struct {
	Path    string  `json:"path"`
	Version string  `json:"version,omitempty"`
	Sum     string  `json:"sum,omitempty"`
	Replace *Module `json:"replace,omitempty"`
}

// NotELFError means the file is not an ELF binary.
type NotELFError struct {
	Path string
	Kind string // what it looks like instead
}

func (e *NotELFError) Error() string {
	return fmt.Sprintf("%s is not an ELF binary (it looks like %s); build it for Linux (GOOS=linux) or pass the right file", e.Path, e.Kind)
}

// Inspect reads the binary at path.
func Inspect(path string) (*Info, error) {
	r, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if kind := sniff(r); kind != "" {
		return nil, &NotELFError{Path: path, Kind: kind}
	}
	f, err := elf.NewFile(r)
	if err != nil {
		return nil, fmt.Errorf("%s: reading ELF: %v", path, err)
	}
	defer f.Close()
	info := &Info{Path: path, Machine: machineName(f.Machine), Arch: goarch(f.Machine)}
	switch f.Type {
	case elf.ET_EXEC:
		info.Type = "EXEC"
	case elf.ET_DYN:
		info.Type = "DYN"
	default:
		info.Type = strings.TrimPrefix(f.Type.String(), "ET_")
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			b, err := io.ReadAll(p.Open())
			if err != nil {
				return nil, fmt.Errorf("%s: reading PT_INTERP: %v", path, err)
			}
			info.Interpreter = strings.TrimRight(string(b), "\x00")
		}
	}
	if info.Needed, err = f.ImportedLibraries(); err != nil {
		return nil, fmt.Errorf("%s: reading DT_NEEDED: %v", path, err)
	}
	for _, tag := range []elf.DynTag{elf.DT_RUNPATH, elf.DT_RPATH} {
		vals, _ := f.DynString(tag)
		for _, v := range vals {
			info.RunPath = append(info.RunPath, strings.Split(v, ":")...)
		}
	}
	switch {
	case info.Interpreter != "" || len(info.Needed) > 0:
		info.Link = linkmode.LinkDynamic
	case f.Type == elf.ET_DYN:
		info.Link = linkmode.LinkStaticPIE
	default:
		info.Link = linkmode.LinkStatic
	}
	info.Stripped = f.Section(".symtab") == nil
	if err := glibcMax(f, info); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if bi, err := buildinfo.Read(r); err == nil {
		info.Go = goInfo(bi)
	}
	info.Libc, info.LibcEvidence = libc(f, info)
	return info, nil
}

// sniff returns "" for ELF and a description otherwise.
func sniff(r io.ReaderAt) string {
	var b [4]byte
	n, _ := r.ReadAt(b[:], 0)
	switch {
	case n == 4 && string(b[:]) == elf.ELFMAG:
		return ""
	case n >= 2 && string(b[:2]) == "#!":
		return "a script"
	case n >= 2 && string(b[:2]) == "MZ":
		return "a Windows PE binary"
	case n == 4 && (bytes.Equal(b[:], []byte{0xcf, 0xfa, 0xed, 0xfe}) || bytes.Equal(b[:], []byte{0xce, 0xfa, 0xed, 0xfe}) || bytes.Equal(b[:], []byte{0xca, 0xfe, 0xba, 0xbe})):
		return "a Mach-O (macOS) binary"
	case n == 0:
		return "an empty file"
	}
	return "an unknown format"
}

// machineName names m as reports do: the platform table's name for its
// machines (x86-64, aarch64), the lower-case constant name for others.
func machineName(m elf.Machine) string {
	if a, ok := platform.ArchByELF(m); ok {
		return a.ELFName
	}
	return strings.ToLower(strings.TrimPrefix(m.String(), "EM_"))
}

// goarch returns the GOARCH of machine m, or "" when the table has none.
func goarch(m elf.Machine) linkmode.Arch {
	a, _ := platform.ArchByELF(m)
	return linkmode.Arch(a.GOARCH)
}

// glibcMax finds the newest GLIBC_x.y version among the imported symbols.
func glibcMax(f *elf.File, info *Info) error {
	syms, err := f.ImportedSymbols()
	if err != nil {
		if f.SectionByType(elf.SHT_DYNSYM) == nil {
			return nil // static binary: nothing imported
		}
		return fmt.Errorf("reading imported symbols: %v", err)
	}
	var newest Version
	var names []string
	for _, s := range syms {
		if !strings.HasPrefix(s.Version, "GLIBC_") {
			continue
		}
		v, err := ParseVersion(s.Version)
		if err != nil {
			continue // GLIBC_PRIVATE and the like
		}
		switch c := v.Compare(newest); {
		case newest == nil || c > 0:
			newest, names = v, []string{s.Name}
		case c == 0:
			names = append(names, s.Name)
		}
	}
	if newest != nil {
		sort.Strings(names)
		if len(names) > 5 {
			names = names[:5]
		}
		info.GlibcMax, info.GlibcMaxSymbols = newest.String(), names
	}
	return nil
}

func goInfo(bi *buildinfo.BuildInfo) *GoInfo {
	g := &GoInfo{GoVersion: bi.GoVersion, Path: bi.Path, Main: module(&bi.Main), Settings: map[string]string{}}
	for _, d := range bi.Deps {
		g.Modules = append(g.Modules, module(d))
	}
	for _, s := range bi.Settings {
		g.Settings[s.Key] = s.Value
		switch s.Key {
		case "CGO_ENABLED":
			g.CgoEnabled = s.Value == "1"
		case "-tags":
			g.Tags = strings.Split(s.Value, ",")
		case "-trimpath":
			g.Trimpath = s.Value == "true"
		case "GOOS":
			g.GOOS = s.Value
		case "GOARCH":
			g.GOARCH = s.Value
		case "-buildmode":
			g.BuildMode = s.Value
		case "-ldflags":
			g.LDFlags = s.Value
		}
	}
	return g
}

func module(m *debug.Module) Module {
	out := Module{Path: m.Path, Version: m.Version, Sum: m.Sum}
	if m.Replace != nil {
		r := module(m.Replace)
		out.Replace = &r
	}
	return out
}

var (
	muslSymbols  = []string{"__init_libc", "__libc_start_init", "__dls3", "__libc_malloc_impl"}
	glibcSymbols = []string{"__libc_setup_tls", "_dl_relocate_static_pie", "__libc_start_call_main", "_IO_stdin_used"}
	muslString   = []byte("No error information\x00")
	glibcString  = []byte("GNU C Library")
)

// libc decides the libc flavour; see the package documentation.
func libc(f *elf.File, info *Info) (linkmode.Libc, string) {
	if info.Interpreter != "" {
		if l, ok := platform.LibcByLoader(info.Interpreter); ok {
			return linkmode.Libc(l.Name), "interpreter " + info.Interpreter
		}
	}
	for _, n := range info.Needed {
		switch {
		case n == "libc.so.6":
			return linkmode.LibcGlibc, "needs libc.so.6"
		case strings.HasPrefix(n, "libc.musl-") || n == "libc.so":
			return linkmode.LibcMusl, "needs " + n
		}
	}
	if info.Link == linkmode.LinkDynamic {
		return LibcUnknown, "dynamic, but neither the interpreter nor DT_NEEDED is a known libc"
	}
	// Only `go build` records CGO_ENABLED; rules_go leaves it out, so its absence says nothing.
	if info.Go != nil && info.Go.Settings["CGO_ENABLED"] == "0" {
		return linkmode.LibcNone, "static Go binary built with CGO_ENABLED=0"
	}
	if syms, err := f.Symbols(); err == nil {
		names := map[string]bool{}
		for _, s := range syms {
			names[s.Name] = true
		}
		for _, n := range muslSymbols {
			if names[n] {
				return linkmode.LibcMusl, "static, musl symbol " + n
			}
		}
		for _, n := range glibcSymbols {
			if names[n] {
				return linkmode.LibcGlibc, "static, glibc symbol " + n
			}
		}
	}
	if f.Section(".note.ABI-tag") != nil {
		return linkmode.LibcGlibc, "static, glibc .note.ABI-tag"
	}
	for _, s := range f.Sections {
		if s.Type != elf.SHT_PROGBITS || s.Flags&elf.SHF_ALLOC == 0 || s.Flags&elf.SHF_EXECINSTR != 0 {
			continue
		}
		data, err := s.Data()
		if err != nil {
			continue
		}
		if bytes.Contains(data, muslString) {
			return linkmode.LibcMusl, "static, musl string in " + s.Name
		}
		if bytes.Contains(data, glibcString) {
			return linkmode.LibcGlibc, "static, glibc string in " + s.Name
		}
	}
	if info.Go != nil {
		return linkmode.LibcNone, "static Go binary without libc code"
	}
	return LibcUnknown, "static, no libc markers found"
}

// GlibcProvided returns the newest GLIBC_x.y version defined by the shared
// library at path (normally libc.so.6), which is the newest version a
// binary may require from it.
func GlibcProvided(path string) (Version, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	defs, err := f.DynamicVersions()
	if err != nil {
		return nil, fmt.Errorf("%s: reading version definitions: %v", path, err)
	}
	var newest Version
	for _, d := range defs {
		if !strings.HasPrefix(d.Name, "GLIBC_") {
			continue
		}
		if v, err := ParseVersion(d.Name); err == nil && (newest == nil || v.Compare(newest) > 0) {
			newest = v
		}
	}
	if newest == nil {
		return nil, fmt.Errorf("%s defines no GLIBC_x.y version; is it glibc's libc.so.6?", path)
	}
	return newest, nil
}
