package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/elfinfo"
	"github.com/rules-go-cross/rules_go_cross/go/linkmode/verify"
	"github.com/rules-go-cross/rules_go_cross/platforms/platform"
)

const verifySynopsis = `linkmode verify [-json] [-expect-arch amd64|arm64] [-expect-libc musl|glibc|none]
                [-expect-static] [-max-glibc X.Y]
                [-base-files FILE | -base-root DIR] [-base NAME] [-base-glibc X.Y] BINARY`

func runVerify(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("verify", verifySynopsis, stderr)
	jsonOut := fs.Bool("json", false, "print a JSON report instead of text")
	expArch := fs.String("expect-arch", "", "fail unless the binary is for this arch: "+strings.Join(platform.GOARCHes(), " or "))
	expLibc := fs.String("expect-libc", "", "fail unless the binary uses this libc: musl, glibc or none")
	expStatic := fs.Bool("expect-static", false, "fail unless the binary is static (or static-pie)")
	maxGlibc := fs.String("max-glibc", "", "fail if the binary requires a GLIBC_x.y symbol version newer than this, e.g. 2.28")
	baseFiles := fs.String("base-files", "", "file listing the image base's files, one absolute path per line, symlinks as \"path -> target\"")
	baseRoot := fs.String("base-root", "", "directory holding the unpacked image base")
	baseName := fs.String("base", "", "name of the base for messages (default: file name of -base-files or -base-root)")
	baseGlibc := fs.String("base-glibc", "", "glibc version of the base, e.g. 2.36 (default: found in the base if possible)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 {
		fs.Usage()
		return usageError(stderr, "verify wants exactly one BINARY, got %d arguments", len(pos))
	}
	bin := pos[0]

	var e verify.Expect
	if *expArch != "" {
		if e.Arch, err = linkmode.ParseArch(*expArch); err != nil {
			return usageError(stderr, "-expect-arch: %v", err)
		}
	}
	if *expLibc != "" {
		if e.Libc, err = linkmode.ParseLibc(*expLibc); err != nil {
			return usageError(stderr, "-expect-libc: %v", err)
		}
	}
	e.Static = *expStatic
	if *maxGlibc != "" {
		if e.MaxGlibc, err = elfinfo.ParseVersion(*maxGlibc); err != nil {
			return usageError(stderr, "-max-glibc: %v", err)
		}
	}
	var base *verify.Base
	switch {
	case *baseFiles != "" && *baseRoot != "":
		return usageError(stderr, "use -base-files or -base-root, not both")
	case *baseFiles != "":
		if base, err = verify.ReadFileList(*baseFiles, *baseName); err != nil {
			return usageError(stderr, "-base-files: %v", err)
		}
	case *baseRoot != "":
		if base, err = verify.OpenRoot(*baseRoot, *baseName); err != nil {
			return usageError(stderr, "-base-root: %v", err)
		}
	case *baseName != "" || *baseGlibc != "":
		return usageError(stderr, "-base and -base-glibc need -base-files or -base-root")
	}
	if *baseGlibc != "" {
		v, err := elfinfo.ParseVersion(*baseGlibc)
		if err != nil {
			return usageError(stderr, "-base-glibc: %v", err)
		}
		base.Glibc, base.GlibcSource = v, "-base-glibc"
	}

	info, err := elfinfo.Inspect(bin)
	var notELF *elfinfo.NotELFError
	switch {
	case errors.Is(err, os.ErrNotExist):
		return usageError(stderr, "%s does not exist; pass the path of a linked binary", bin)
	case errors.As(err, &notELF):
		fmt.Fprintf(stderr, "linkmode: %v\n", err)
		return exitFail
	case err != nil:
		fmt.Fprintf(stderr, "linkmode: %v\n", err)
		return exitFail
	}

	report := verify.Run(info, e, base)
	if *jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			fmt.Fprintf(stderr, "linkmode: %v\n", err)
			return exitFail
		}
	} else {
		printVerify(stdout, report)
	}
	for _, f := range report.Failures {
		fmt.Fprintf(stderr, "linkmode: %s\n", f)
	}
	if !report.OK {
		return exitFail
	}
	return exitOK
}

func printVerify(w io.Writer, r *verify.Report) {
	i := r.Binary
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, format string, args ...any) {
		fmt.Fprintf(tw, "  %s\t"+format+"\n", append([]any{k}, args...)...)
	}
	fmt.Fprintf(tw, "%s\n", i.Path)
	arch := string(i.Arch)
	if arch == "" {
		arch = "unsupported"
	}
	row("machine", "%s (%s)", i.Machine, arch)
	row("link", "%s (ELF %s)", i.Link, i.Type)
	if i.Interpreter != "" {
		row("interpreter", "%s", i.Interpreter)
	}
	if len(i.Needed) > 0 {
		row("needed", "%s", strings.Join(i.Needed, ", "))
	}
	if len(i.RunPath) > 0 {
		row("runpath", "%s", strings.Join(i.RunPath, ":"))
	}
	row("libc", "%s (%s)", i.Libc, i.LibcEvidence)
	if i.GlibcMax != "" {
		row("glibc", "needs GLIBC_%s (%s)", i.GlibcMax, strings.Join(i.GlibcMaxSymbols, ", "))
	}
	if g := i.Go; g != nil {
		cgo := "0"
		if g.CgoEnabled {
			cgo = "1"
		}
		tags := strings.Join(g.Tags, ",")
		if tags == "" {
			tags = "-"
		}
		row("go", "%s %s/%s CGO_ENABLED=%s tags=%s trimpath=%v", g.GoVersion, g.GOOS, g.GOARCH, cgo, tags, g.Trimpath)
		row("main", "module %s %s, package %s", g.Main.Path, g.Main.Version, g.Path)
		for _, m := range g.Modules {
			v := m.Version
			if m.Replace != nil {
				v += " => " + m.Replace.Path + " " + m.Replace.Version
			}
			row("module", "%s %s", m.Path, v)
		}
	} else {
		row("go", "no Go build info (not a Go binary?)")
	}
	for _, c := range r.Checks {
		status := "ok"
		if !c.OK {
			status = "FAIL"
		}
		row("expect "+c.Name, "%s (want %s, got %s)", status, c.Want, c.Got)
	}
	if b := r.Base; b != nil {
		status := "ok: can start"
		if !b.OK {
			status = "FAIL: cannot start"
		}
		row(fmt.Sprintf("base %q", b.Name), "%s", status)
		switch {
		case b.Interpreter != "":
			row("  interpreter", "%s", b.Interpreter)
		case i.Interpreter != "":
			row("  interpreter", "NOT FOUND")
		}
		for _, l := range b.Libraries {
			where := l.Path
			if !l.Found {
				where = "NOT FOUND"
			}
			row("  "+l.Name, "%s", where)
		}
		if b.Glibc != "" {
			row("  glibc", "%s (%s)", b.Glibc, b.GlibcSource)
		}
		for _, n := range b.Notes {
			row("  note", "%s", n)
		}
	}
	result := "ok"
	if !r.OK {
		result = fmt.Sprintf("FAIL (%d problem(s), see stderr)", len(r.Failures))
	}
	row("result", "%s", result)
	tw.Flush()
}
