// Package golist gathers linkmode.Facts by running
// `go list -deps -json` for a target.
//
// It sets GOOS and GOARCH from the target and CGO_ENABLED=1, so that files
// guarded by the cgo build constraint are listed even when the plan ends up
// turning cgo off; GOFLAGS and the rest of the environment are inherited.
// The libc of the target does not change what go list reports, so callers
// can gather once per architecture and reuse the facts for every libc.
package golist

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
)

// Options configure Gather.
type Options struct {
	Go       string   // go command; "go" if empty
	Dir      string   // directory to run in; the current one if empty
	Tags     []string // -tags
	Patterns []string // package patterns; "." if empty
	Env      []string // base environment; os.Environ() if nil
}

// listed is the subset of `go list -json` output used here.
type listed struct {
	ImportPath string
	Standard   bool
	linkmode.Sources
	Error *struct{ Err string }
}

const fields = "ImportPath,Standard,CgoFiles,CFiles,CXXFiles,MFiles,FFiles,SwigFiles,SwigCXXFiles,Imports,Error"

// Gather runs go list for goos/goarch and returns the facts.
func Gather(ctx context.Context, opts Options, goos, goarch string) (*linkmode.Facts, error) {
	goCmd := opts.Go
	if goCmd == "" {
		goCmd = "go"
	}
	args := []string{"list", "-deps", "-json=" + fields}
	if len(opts.Tags) > 0 {
		args = append(args, "-tags", strings.Join(opts.Tags, ","))
	}
	patterns := opts.Patterns
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	args = append(args, "--")
	args = append(args, patterns...)

	env := opts.Env
	if env == nil {
		env = os.Environ()
	}
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Dir = opts.Dir
	cmd.Env = append(append([]string{}, env...), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		where := opts.Dir
		if where == "" {
			where, _ = os.Getwd()
		}
		if abs, aerr := filepath.Abs(where); aerr == nil {
			where = abs
		}
		return nil, fmt.Errorf("go list -deps for %s/%s in %s failed: %s\n(run linkmode plan inside a Go module, fix the error above, or pass facts with -facts FILE)", goos, goarch, where, msg)
	}
	return Decode(&stdout, opts.Tags)
}

// Decode converts a stream of `go list -json` objects into facts.
func Decode(r io.Reader, tags []string) (*linkmode.Facts, error) {
	f := &linkmode.Facts{Tags: append([]string(nil), tags...), Packages: []linkmode.Package{}}
	dec := json.NewDecoder(r)
	var errs []string
	for {
		var l listed
		err := dec.Decode(&l)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("decoding go list output: %v", err)
		}
		if l.Error != nil {
			errs = append(errs, fmt.Sprintf("%s: %s", l.ImportPath, l.Error.Err))
		}
		f.Packages = append(f.Packages, linkmode.FromSources(l.ImportPath, l.Standard, l.Sources))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("go list reported package errors:\n\t%s", strings.Join(errs, "\n\t"))
	}
	return f, nil
}
