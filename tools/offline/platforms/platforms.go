// Package platforms reads the names of rules_go_cross's platforms, for tools/bazel's check of
// --platforms. It is the one place that knows where the platform table lives.
package platforms

import (
	"os"
	"regexp"
)

// tableFile is the platform table, relative to the rules_go_cross checkout.
const tableFile = "platforms/private/platforms.bzl"

// entry is a row of the table: `    "linux_<arch>[_<libc>]": struct(...`.
var entry = regexp.MustCompile(`(?m)^    "(linux_[a-z0-9_]*)": struct`)

// Names are the platforms the checkout rgcRoot defines, in the table's order ("host" is not
// among them); none when the table cannot be read.
func Names(rgcRoot string) []string {
	b, err := os.ReadFile(rgcRoot + "/" + tableFile)
	if err != nil {
		return nil
	}
	return parse(string(b))
}

func parse(bzl string) []string {
	var names []string
	for _, m := range entry.FindAllStringSubmatch(bzl, -1) {
		names = append(names, m[1])
	}
	return names
}
