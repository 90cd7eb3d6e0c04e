// Package doccheck reads the ModuleInfo protos that Bazel's starlark_doc_extract writes (the
// input of stardoc's renderer, stardoc_output.proto) and reports what of a public .bzl file's
// API is undocumented: the module itself, rules, macros, functions, providers, module
// extensions, tag classes and repository rules, and each of their attributes, parameters and
// provider fields. It also rejects non-ASCII docstrings, which Bazel 7's starlark_doc_extract
// encodes twice (it reads .bzl files as Latin-1), so that the docs show mojibake.
package doccheck

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

// Module is the part of a stardoc_output.ModuleInfo that doccheck looks at.
type Module struct {
	File      string
	Docstring string
	Symbols   []Symbol
}

// Symbol is a documented top-level symbol: a rule, macro, function, provider, aspect, module
// extension (or one of its tag classes, named "ext.tag"), or repository rule.
type Symbol struct {
	Kind, Name, Doc string
	Members         []Member
}

// Member is an attribute, a function parameter or a provider field.
type Member struct {
	Kind, Name, Doc string
	// Native is true for the attributes Bazel itself defines (name, visibility, ...).
	Native bool
}

// Field numbers of stardoc_output.proto.
const (
	moduleRule, moduleProvider, moduleFunc, moduleAspect, moduleDoc, moduleFile = 1, 2, 3, 4, 5, 6
	moduleExtension, moduleRepoRule, moduleMacro                                = 7, 8, 9
	// AttributeInfo, FunctionParamInfo and ProviderFieldInfo: name 1, doc 2; AttributeInfo's
	// natively_defined 8.
	memberName, memberDoc, attrNative = 1, 2, 8
	extName, extDoc, extTag           = 1, 2, 3
	tagName, tagDoc, tagAttr          = 1, 2, 3
)

// symbolFields describes, per ModuleInfo field, the message it holds: its kind and the field
// numbers of its name, docstring and members.
var symbolFields = map[protowire.Number]struct {
	kind              string
	name, doc, member protowire.Number
	memberKind        string
}{
	moduleRule:     {"rule", 1, 2, 3, "attribute"},
	moduleMacro:    {"macro", 1, 2, 3, "attribute"},
	moduleRepoRule: {"repository rule", 1, 2, 3, "attribute"},
	moduleAspect:   {"aspect", 1, 2, 4, "attribute"},
	moduleProvider: {"provider", 1, 2, 3, "field"},
	moduleFunc:     {"function", 1, 3, 2, "parameter"},
}

// fields calls f for each field of the message b; f gets the raw bytes of length-delimited
// fields and the value of varints.
func fields(b []byte, f func(num protowire.Number, data []byte, varint uint64) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		var data []byte
		var v uint64
		switch typ {
		case protowire.BytesType:
			data, n = protowire.ConsumeBytes(b)
		case protowire.VarintType:
			v, n = protowire.ConsumeVarint(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return fmt.Errorf("field %d: %w", num, protowire.ParseError(n))
		}
		b = b[n:]
		if err := f(num, data, v); err != nil {
			return err
		}
	}
	return nil
}

// Decode parses a ModuleInfo (binary proto).
func Decode(b []byte) (*Module, error) {
	m := &Module{}
	err := fields(b, func(num protowire.Number, data []byte, _ uint64) error {
		switch num {
		case moduleDoc:
			m.Docstring = string(data)
		case moduleFile:
			m.File = string(data)
		case moduleExtension:
			ext, tags, err := decodeExtension(data)
			if err != nil {
				return err
			}
			m.Symbols = append(append(m.Symbols, ext), tags...)
		default:
			f, ok := symbolFields[num]
			if !ok {
				return nil
			}
			s, err := decodeSymbol(f.kind, data, f.name, f.doc, f.member, f.memberKind)
			if err != nil {
				return err
			}
			m.Symbols = append(m.Symbols, s)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("not a stardoc_output.ModuleInfo: %w", err)
	}
	return m, nil
}

func decodeSymbol(kind string, b []byte, name, doc, member protowire.Number, memberKind string) (Symbol, error) {
	s := Symbol{Kind: kind}
	err := fields(b, func(num protowire.Number, data []byte, _ uint64) error {
		switch num {
		case name:
			s.Name = string(data)
		case doc:
			s.Doc = string(data)
		case member:
			m, err := decodeMember(memberKind, data)
			if err != nil {
				return err
			}
			s.Members = append(s.Members, m)
		}
		return nil
	})
	return s, err
}

func decodeMember(kind string, b []byte) (Member, error) {
	m := Member{Kind: kind}
	err := fields(b, func(num protowire.Number, data []byte, v uint64) error {
		switch {
		case num == memberName:
			m.Name = string(data)
		case num == memberDoc:
			m.Doc = string(data)
		case num == attrNative && kind == "attribute":
			m.Native = v != 0
		}
		return nil
	})
	return m, err
}

func decodeExtension(b []byte) (Symbol, []Symbol, error) {
	ext := Symbol{Kind: "module extension"}
	var tags []Symbol
	err := fields(b, func(num protowire.Number, data []byte, _ uint64) error {
		switch num {
		case extName:
			ext.Name = string(data)
		case extDoc:
			ext.Doc = string(data)
		case extTag:
			t, err := decodeSymbol("tag class", data, tagName, tagDoc, tagAttr, "attribute")
			if err != nil {
				return err
			}
			tags = append(tags, t)
		}
		return nil
	})
	for i := range tags {
		tags[i].Name = ext.Name + "." + tags[i].Name
	}
	return ext, tags, err
}

// Check returns one line per problem: an undocumented item or a non-ASCII docstring.
func Check(m *Module) []string {
	var out []string
	add := func(what, doc string) {
		switch {
		case strings.TrimSpace(doc) == "":
			out = append(out, what+" has no docstring")
		case !ascii(doc):
			out = append(out, fmt.Sprintf("%s: the docstring has non-ASCII characters (%q); Bazel 7's starlark_doc_extract encodes them twice, so write them in ASCII", what, nonASCII(doc)))
		}
	}
	// A module may export only what ModuleInfo does not list (transitions, constants): its
	// docstring documents them.
	add("the module "+m.File, m.Docstring)
	for _, s := range m.Symbols {
		what := fmt.Sprintf("%s %s", s.Kind, s.Name)
		add(what, s.Doc)
		for _, mem := range s.Members {
			if mem.Native {
				continue
			}
			add(fmt.Sprintf("%s %q of %s", mem.Kind, mem.Name, what), mem.Doc)
		}
	}
	return out
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func nonASCII(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0x80 {
			b.WriteRune(r)
		}
	}
	return b.String()
}
