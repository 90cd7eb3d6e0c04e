// Package packages owns the list of Debian packages in the root and its top-up: a root
// provisioned before a package joined the list gets it on the next call, once.
package packages

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/tools/offline/layout"
	"github.com/rules-go-cross/rules_go_cross/tools/offline/rootcmd"
)

// Suite is the Debian suite of the root.
const Suite = "forky"

// Root are the packages installed into the root.
var Root = []string{
	"bazel-bootstrap", "golang-go", "git", "ca-certificates", "ca-certificates-java",
	"bazel-platforms", "bazel-rules-cc", "bazel-skylib", "bazel-features", "bazel-rules-shell",
	"bazel-rules-license", "bazel-rules-pkg", "bazel-stardoc", "bazel-java-tools",
	"qemu-user", "xz-utils", "zstd", "unzip", "zip", "patch", "python3", "file",
	// Bazel's reference remote worker (tools/offline/remoteworker): its sources, and the BLAKE3
	// library its JNI part links.
	"bazel-bootstrap-source", "libblake3-0",
}

// Stamp is Root as env-v1/packages.txt records it: one package a line.
func Stamp() string { return strings.Join(Root, "\n") + "\n" }

// StampFile is the file recording which packages the root has.
func StampFile(l layout.Layout) string { return l.Env + "/packages.txt" }

// readFile is the content of path, or "" when it cannot be read.
func readFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}

// Ensure installs the packages of Root that the root lacks, when its stamp is not Stamp(); on
// the warm path it reads one file.
func Ensure(l layout.Layout, progress func(string)) error {
	want := Stamp()
	stamp := StampFile(l)
	if readFile(stamp) == want {
		return nil
	}
	unlock, err := l.Lock()
	if err != nil {
		return err
	}
	defer unlock()
	if readFile(stamp) == want {
		return nil
	}
	var out bytes.Buffer
	if err := rootcmd.Run(l.Root, &out, nil, "dpkg-query", "-W", "-f=${db:Status-Abbrev} ${Package}\n"); err != nil {
		return fmt.Errorf("could not list the packages of the %s root %s (dpkg-query failed: %v); remove %s to provision it again", Suite, l.Root, err, l.Env)
	}
	if missing := Missing(out.String(), Root); len(missing) > 0 {
		progress(fmt.Sprintf("installing %s into the %s root (added to tools/bazel after it was provisioned)", strings.Join(missing, " "), Suite))
		rootcmd.CopyResolvConf(l.Root)
		log := l.Env + "/packages.log"
		f, err := os.Create(log)
		if err != nil {
			return err
		}
		defer f.Close()
		m := strings.Join(missing, " ")
		if err := rootcmd.Run(l.Root, f, f, "sh", "-c", "apt-get update -qq && apt-get install -y -qq --no-install-recommends "+m+" && apt-get clean"); err != nil {
			return fmt.Errorf("apt-get install %s in the %s root failed (is Debian's package registry reachable?); see %s", m, Suite, log)
		}
	}
	if err := os.WriteFile(stamp+".tmp", []byte(want), 0o666); err != nil {
		return err
	}
	return os.Rename(stamp+".tmp", stamp)
}

// Missing are the packages of want that dpkg-query's "${db:Status-Abbrev} ${Package}" lines
// do not show as installed ("ii").
func Missing(dpkgQuery string, want []string) []string {
	installed := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(dpkgQuery))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == "ii" {
			installed[f[1]] = true
		}
	}
	var missing []string
	for _, p := range want {
		if !installed[p] {
			missing = append(missing, p)
		}
	}
	return missing
}
