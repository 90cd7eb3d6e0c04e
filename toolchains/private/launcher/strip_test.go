package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestCanonicalLink(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		want  []string
		strip stripRequest
	}{
		{"no strip", []string{"-o", "p", "a.o"}, []string{"-o", "p", "a.o"}, stripRequest{}},
		{"go -s", []string{"-m64", "-s", "-o", "bin/x", "a.o"}, []string{"-m64", "-o", "bin/x", "a.o"}, stripRequest{stripAll, "bin/x"}},
		{"bazel -Wl,-S", []string{"-shared", "-o", "x.so", "a.o", "-Wl,-S", "-Wl,--gc-sections"},
			[]string{"-shared", "-o", "x.so", "a.o", "-Wl,--gc-sections"}, stripRequest{stripDebug, "x.so"}},
		{"inside a -Wl list", []string{"-Wl,--gc-sections,-S,-z,now", "-ox"}, []string{"-Wl,--gc-sections,-z,now", "-ox"}, stripRequest{stripDebug, "x"}},
		{"all wins over debug", []string{"-Wl,--strip-debug", "-Wl,--strip-all"}, nil, stripRequest{stripAll, "a.out"}},
		{"-Xlinker -s", []string{"-Xlinker", "-s", "-Xlinker", "--no-undefined", "-o", "p"},
			[]string{"-Xlinker", "--no-undefined", "-o", "p"}, stripRequest{stripAll, "p"}},
		{"-o value is not a flag", []string{"-o", "-s"}, []string{"-o", "-s"}, stripRequest{}},
		{"relocatable link untouched", []string{"-r", "-s", "-o", "x.o"}, []string{"-r", "-s", "-o", "x.o"}, stripRequest{}},
	}
	for _, tc := range tests {
		got, strip := canonicalLink(tc.args)
		if tc.want == nil {
			tc.want = []string{}
		}
		if len(got) == 0 {
			got = []string{}
		}
		if !reflect.DeepEqual(got, tc.want) || strip != tc.strip {
			t.Errorf("%s: canonicalLink(%q) = %q, %+v; want %q, %+v", tc.name, tc.args, got, strip, tc.want, tc.strip)
		}
	}
}

func TestOutputOf(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"a.o"}, "a.out"},
		{[]string{"-o", "x", "a.o"}, "x"},
		{[]string{"-oy", "a.o"}, "y"},
		{[]string{"-L", "-o", "a.o"}, "a.out"}, // -o is -L's value
		{[]string{"-o", "x", "-o", "z"}, "z"},
	}
	for _, tc := range tests {
		if got := outputOf(tc.args); got != tc.want {
			t.Errorf("outputOf(%q) = %q; want %q", tc.args, got, tc.want)
		}
	}
}

func TestLinkFlags(t *testing.T) {
	got := strings.Join(linkFlags([]string{"-o", "p", "a.o", "-pie", "-L", "dir", "-Lother", "-lm", "-Wl,-z,now", "b.a"}), " ")
	if got != "-pie -L dir -lm -Wl,-z,now" {
		t.Errorf("linkFlags = %q", got)
	}
}

func TestRewriteLinkCanonical(t *testing.T) {
	req := request{Mode: modeCXX, Target: "x86_64-linux-musl", Execroot: "/e", Lib: "/proc/self/cwd/external/z/lib", AbsLib: "/e/external/z/lib"}
	o, err := rewrite(req, []string{"-m64", "-s", "-o", "bin/x", "go.o", "-no-pie"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"c++", "-fno-sanitize=undefined", "-m64", "-o", "bin/x", "go.o", "-no-pie", "-fPIC", "-target", "x86_64-linux-musl"}
	if !reflect.DeepEqual(o.Args, want) || o.Strip != (stripRequest{stripAll, "bin/x"}) {
		t.Errorf("rewrite = %q, %+v; want %q and a --strip-all of bin/x", o.Args, o.Strip, want)
	}
	o, err = rewrite(req, []string{"-c", "-o", "a.o", "a.c", "-s"})
	if err != nil {
		t.Fatal(err)
	}
	if j := strings.Join(o.Args, " "); strings.Contains(j, "-fPIC") || !strings.Contains(j, " -s ") || o.Strip.Mode != stripNone {
		t.Errorf("a compile was canonicalized like a link: %q %+v", o.Args, o.Strip)
	}
}
