package remoteworker

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestKeepJar(t *testing.T) {
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"guava.jar", true},
		{"grpc-core-1.62.2.jar", true},
		{"slf4j-api.jar", true},
		{"slf4j-api-1.7.36.jar", true},
		{"slf4j-nop.jar", false},
		{"slf4j-nop-1.7.36.jar", false},
		{"slf4j-jdk14-1.7.36.jar", false},
		{"log4j-to-slf4j-2.19.0.jar", false},
		{"log4j-to-jul.jar", false},
		{"log4j-api.jar", true},
		{"jcl-over-slf4j.jar", false},
		{"README", false},
		{"something.jar.orig", false},
	} {
		if got := keepJar(tc.name); got != tc.want {
			t.Errorf("keepJar(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestClassPath(t *testing.T) {
	root := t.TempDir()
	if _, err := ClassPath(root); err == nil {
		t.Fatal("ClassPath of an empty root: no error")
	}
	for _, f := range []string{serverJar, javaDir + "/b.jar", javaDir + "/a.jar", javaDir + "/slf4j-nop.jar"} {
		p := filepath.Join(root, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ClassPath(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{serverJar, javaDir + "/a.jar", javaDir + "/b.jar"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ClassPath = %q, want %q", got, want)
	}
}
