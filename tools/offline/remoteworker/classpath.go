package remoteworker

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// serverJar holds Bazel's server classes, the REAPI and ByteStream gRPC stubs among them.
const serverJar = "/usr/share/bazel/A-server.jar"

// javaDir holds the worker's other dependencies (Guava, gRPC, Netty, ...), as Debian ships them.
const javaDir = "/usr/share/java"

// loggingBindings are jars that route one logging API into another. Each is an alternative to
// another jar of the same directory; with both on the class path the JVM logs errors at start
// (or loops), so none of them is used: slf4j falls back to its no-op logger and the worker logs
// through java.util.logging.
var loggingBindings = []string{
	"slf4j-jdk14", "slf4j-nop", "slf4j-simple", "slf4j-log4j12", "slf4j-reload4j", "slf4j-jcl",
	"maven3-slf4j-provider", "log4j-to-slf4j", "jul-to-slf4j", "log4j-over-slf4j",
	"jcl-over-slf4j", "log4j-to-jul",
}

// keepJar reports whether the jar file name belongs on the worker's class path.
func keepJar(name string) bool {
	if !strings.HasSuffix(name, ".jar") {
		return false
	}
	base := strings.TrimSuffix(name, ".jar")
	for _, b := range loggingBindings {
		if base == b || strings.HasPrefix(base, b+"-") {
			return false
		}
	}
	return true
}

// ClassPath returns the worker's class path as paths inside root: Bazel's server jar first,
// then every jar of /usr/share/java but the logging bindings, sorted.
func ClassPath(root string) ([]string, error) {
	if _, err := os.Stat(filepath.Join(root, serverJar)); err != nil {
		return nil, fmt.Errorf("%s is missing from the offline root %s: run tools/bazel once to provision it", serverJar, root)
	}
	entries, err := os.ReadDir(filepath.Join(root, javaDir))
	if err != nil {
		return nil, fmt.Errorf("reading the worker's jars: %w (run tools/bazel once to provision the offline root)", err)
	}
	cp := []string{serverJar}
	var jars []string
	for _, e := range entries {
		if keepJar(e.Name()) {
			jars = append(jars, filepath.Join(javaDir, e.Name()))
		}
	}
	sort.Strings(jars)
	return append(cp, jars...), nil
}
