module github.com/rules-go-cross/rules_go_cross/tools/offline

// Standard library only, and an old go line: tools/bazel builds this module before any Bazel
// exists, with the host's Go or the Go of the provisioned Debian root, offline.
go 1.22
