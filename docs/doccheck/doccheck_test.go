package doccheck

import (
	"flag"
	"os"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

var modules = flag.String("modules", "", "space-separated ModuleInfo files (binary protos) of the public .bzl files")

// msg builds a message from fields: a string or []byte value is length-delimited, a bool or
// int a varint.
type kv struct {
	num protowire.Number
	val any
}

func msg(fs ...kv) []byte {
	var b []byte
	for _, f := range fs {
		switch v := f.val.(type) {
		case string:
			b = protowire.AppendTag(b, f.num, protowire.BytesType)
			b = protowire.AppendString(b, v)
		case []byte:
			b = protowire.AppendTag(b, f.num, protowire.BytesType)
			b = protowire.AppendBytes(b, v)
		case bool:
			b = protowire.AppendTag(b, f.num, protowire.VarintType)
			b = protowire.AppendVarint(b, protowire.EncodeBool(v))
		case int:
			b = protowire.AppendTag(b, f.num, protowire.VarintType)
			b = protowire.AppendVarint(b, uint64(v))
		}
	}
	return b
}

func attr(name, doc string, native bool) []byte {
	return msg(kv{memberName, name}, kv{memberDoc, doc}, kv{3, 4}, kv{attrNative, native})
}

func TestCheck(t *testing.T) {
	goodRule := msg(kv{1, "my_rule"}, kv{2, "Does things."}, kv{3, attr("name", "", true)}, kv{3, attr("src", "The source.", false)})
	goodFunc := msg(kv{1, "helper"}, kv{2, msg(kv{memberName, "x"}, kv{memberDoc, "An x."})}, kv{3, "Helps."}, kv{4, msg(kv{1, "A y."})})
	goodProvider := msg(kv{1, "MyInfo"}, kv{2, "Info."}, kv{3, msg(kv{memberName, "f"}, kv{memberDoc, "A file."})})
	goodExt := msg(kv{extName, "ext"}, kv{extDoc, "An extension."}, kv{extTag, msg(kv{tagName, "tag"}, kv{tagDoc, "A tag."}, kv{tagAttr, attr("v", "A version.", false)})})
	module := func(doc string, symbols ...kv) []byte {
		return msg(append([]kv{{moduleFile, "//pkg:defs.bzl"}, {moduleDoc, doc}}, symbols...)...)
	}
	for _, tc := range []struct {
		name  string
		proto []byte
		want  []string
	}{
		{"all documented", module("The API.", kv{moduleRule, goodRule}, kv{moduleFunc, goodFunc}, kv{moduleProvider, goodProvider}, kv{moduleExtension, goodExt}), nil},
		{"no module docstring", module("", kv{moduleRule, goodRule}), []string{"the module //pkg:defs.bzl has no docstring"}},
		{"only transitions or constants, documented in the module docstring", module("The API."), nil},
		{"undocumented rule attribute", module("The API.", kv{moduleRule, msg(kv{1, "r"}, kv{2, "R."}, kv{3, attr("deps", " ", false)})}),
			[]string{`attribute "deps" of rule r has no docstring`}},
		{"undocumented macro", module("The API.", kv{moduleMacro, msg(kv{1, "m"})}), []string{"macro m has no docstring"}},
		{"undocumented parameter", module("The API.", kv{moduleFunc, msg(kv{1, "f"}, kv{3, "F."}, kv{2, msg(kv{memberName, "kwargs"})})}),
			[]string{`parameter "kwargs" of function f has no docstring`}},
		{"undocumented provider field", module("The API.", kv{moduleProvider, msg(kv{1, "P"}, kv{2, "P."}, kv{3, msg(kv{memberName, "x"})})}),
			[]string{`field "x" of provider P has no docstring`}},
		{"undocumented tag class and its attribute", module("The API.", kv{moduleExtension, msg(kv{extName, "e"}, kv{extDoc, "E."}, kv{extTag, msg(kv{tagName, "t"}, kv{tagAttr, attr("a", "", false)})})}),
			[]string{"tag class e.t has no docstring", `attribute "a" of tag class e.t has no docstring`}},
		{"undocumented repository rule", module("The API.", kv{moduleRepoRule, msg(kv{1, "repo"}, kv{3, attr("url", "The URL.", false)})}),
			[]string{"repository rule repo has no docstring"}},
		{"non-ASCII", module("The API.", kv{moduleRule, msg(kv{1, "r"}, kv{2, "arm64 \u2192 v8"})}),
			[]string{"rule r: the docstring has non-ASCII characters (\"\u2192\"); Bazel 7's starlark_doc_extract encodes them twice, so write them in ASCII"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Decode(tc.proto)
			if err != nil {
				t.Fatal(err)
			}
			got := Check(m)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("Check() =\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		proto []byte
	}{
		{"truncated tag", []byte{0x80}},
		{"truncated string", protowire.AppendVarint(protowire.AppendTag(nil, moduleDoc, protowire.BytesType), 10)},
		{"truncated rule", msg(kv{moduleRule, []byte{0x12, 0x05, 'a'}})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Decode(tc.proto); err == nil || !strings.Contains(err.Error(), "not a stardoc_output.ModuleInfo") {
				t.Fatalf("Decode() error = %v, want a ModuleInfo parse error", err)
			}
		})
	}
}

// TestPublicModules checks the real public .bzl files (under bazel test //docs/doccheck:doccheck_test).
func TestPublicModules(t *testing.T) {
	if *modules == "" {
		t.Skip("needs -modules: run bazel test //docs/doccheck:doccheck_test, which extracts them")
	}
	files := strings.Fields(*modules)
	for _, f := range files {
		b, err := os.ReadFile(runfile(f))
		if err != nil {
			t.Fatal(err)
		}
		m, err := Decode(b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		t.Run(m.File, func(t *testing.T) {
			if len(m.Symbols) == 0 && m.Docstring == "" {
				t.Fatalf("%s: empty ModuleInfo", f)
			}
			for _, p := range Check(m) {
				t.Error(p)
			}
		})
	}
}

func runfile(p string) string {
	if dir := os.Getenv("TEST_SRCDIR"); dir != "" {
		return dir + "/" + os.Getenv("TEST_WORKSPACE") + "/" + p
	}
	return p
}
