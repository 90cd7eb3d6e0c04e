package main

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSplitResponseFile(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"-c\n-o\nout.o\n", []string{"-c", "-o", "out.o"}},
		{"  a\tb  \r\nc", []string{"a", "b", "c"}},
		// Bazel GCC_QUOTED: shell single quotes, ' as '\''
		{"'-Wl,-rpath,$ORIGIN/../_solib_k8'\n'it'\\''s'\n", []string{"-Wl,-rpath,$ORIGIN/../_solib_k8", "it's"}},
		{`'a\b'`, []string{`a\b`}},
		// Go's linker: %q strings
		{`"/tmp/go link/go.o"` + "\n" + `"-Wl,--build-id=0x12"` + "\n" + `"a\"b\\c"`, []string{"/tmp/go link/go.o", "-Wl,--build-id=0x12", `a"b\c`}},
		{`a\ b`, []string{"a b"}},
		{`''` + "\n" + `x""y`, []string{"", "xy"}},
		{`'unterminated`, []string{"unterminated"}},
	}
	for _, tc := range tests {
		if got := splitResponseFile(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("splitResponseFile(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestExpandResponseFiles(t *testing.T) {
	files := map[string]string{
		"link.params":   "-o\nprog\n'@nested.params'\n-u\nsym\n",
		"nested.params": "a.o\n-static\n",
		"loop.params":   "@loop.params\n",
	}
	read := func(name string) ([]byte, error) {
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return nil, os.ErrNotExist
	}
	got, expanded, err := expandResponseFiles([]string{"-m64", "@link.params", "@missing", "@"}, read)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"-m64", "-o", "prog", "a.o", "-static", "-u", "sym", "@missing", "@"}
	if !expanded || !reflect.DeepEqual(got, want) {
		t.Errorf("expand = %q, %v; want %q, true", got, expanded, want)
	}
	if _, expanded, _ := expandResponseFiles([]string{"-c", "a.c"}, read); expanded {
		t.Error("nothing to expand, but expanded = true")
	}
	if _, _, err := expandResponseFiles([]string{"@loop.params"}, read); err == nil || !strings.Contains(err.Error(), "nested") {
		t.Errorf("cycle: err = %v", err)
	}
}

// zigSplit is a port of zig 0.11's std.process.ArgIteratorGeneral(.{
// .comments = true, .single_quotes = true }), the reader zig uses for
// response files, to check quoteForZig against it.
func zigSplit(s string) []string {
	var out []string
	i := 0
	for {
		// skip whitespace and comments
		for i < len(s) {
			c := s[i]
			if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
				i++
				continue
			}
			if c == '#' {
				for i < len(s) && s[i] != '\n' {
					i++
				}
				continue
			}
			break
		}
		if i >= len(s) {
			return out
		}
		var b strings.Builder
		bs := 0
		inQuote := false
	token:
		for ; ; i++ {
			var c byte
			if i < len(s) {
				c = s[i]
			}
			switch c {
			case 0:
				b.WriteString(strings.Repeat(`\`, bs))
				break token
			case '"', '\'':
				real := bs%2 == 0
				b.WriteString(strings.Repeat(`\`, bs/2))
				bs = 0
				if real {
					inQuote = !inQuote
				} else {
					b.WriteByte('"')
				}
			case '\\':
				bs++
			case ' ', '\t', '\r', '\n':
				b.WriteString(strings.Repeat(`\`, bs))
				bs = 0
				if inQuote {
					b.WriteByte(c)
				} else {
					break token
				}
			default:
				b.WriteString(strings.Repeat(`\`, bs))
				bs = 0
				b.WriteByte(c)
			}
		}
		out = append(out, b.String())
	}
}

func TestResponseFileForZig(t *testing.T) {
	args := []string{"-o", "a b", `-DX="q"`, `C:\dir\`, `a\\"b`, "#notcomment", "", "tab\there", `\\server`, "-target", "x86_64-linux-musl"}
	content, ok := responseFileContent(args)
	if !ok {
		t.Fatal("responseFileContent: not representable")
	}
	if got := zigSplit(string(content)); !reflect.DeepEqual(got, args) {
		t.Errorf("zig reads back %q; want %q\nfile:\n%s", got, args, content)
	}
	if _, ok := responseFileContent([]string{"it's"}); ok {
		t.Error("an argument with ' cannot be written for zig, but responseFileContent accepted it")
	}
}

func TestShortenCommandLine(t *testing.T) {
	dir := t.TempDir()
	short := []string{"cc", "-c", "a.c"}
	if got, err := shortenCommandLine(short, dir); err != nil || !reflect.DeepEqual(got, short) {
		t.Fatalf("short command line changed: %q, %v", got, err)
	}
	long := []string{"cc", "-o", "prog"}
	for i := 0; len(strings.Join(long, " ")) <= maxInlineTotal; i++ {
		long = append(long, fmt.Sprintf("bazel-out/k8-fastbuild/bin/some/long/package/path/_objs/lib/object_file_number_%06d.o", i))
	}
	long = append(long, "-target", "x86_64-linux-musl")
	got, err := shortenCommandLine(long, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != "cc" || !strings.HasPrefix(got[1], "@"+filepath.Join(dir, "rules_go_cross-rsp")) {
		t.Fatalf("long command line: %q", got[:min(len(got), 3)])
	}
	data, err := os.ReadFile(got[1][1:])
	if err != nil {
		t.Fatal(err)
	}
	if back := zigSplit(string(data)); !reflect.DeepEqual(back, long[1:]) {
		t.Errorf("response file does not read back as the arguments (%d vs %d args)", len(back), len(long)-1)
	}
	// Same content, same file; no temp files left behind.
	again, err := shortenCommandLine(long, dir)
	if err != nil || again[1] != got[1] {
		t.Errorf("second call: %q, %v; want %q", again, err, got[1])
	}
	ents, _ := os.ReadDir(filepath.Join(dir, "rules_go_cross-rsp"))
	if len(ents) != 1 {
		t.Errorf("rsp dir has %d entries; want 1", len(ents))
	}
}
