package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Response files ("@file" arguments).
//
// Bazel passes link command lines in params files (@bazel-out/.../x-2.params,
// GCC_QUOTED: one argument a line, shell single-quoted when needed) and Go's
// linker passes very long ones in a file it writes with %q (Go double-quoted
// strings). zig would expand them itself, but then the rules (target, -u,
// -static with glibc, ...) would not see the flags inside, so the launcher
// expands them for cc and c++ (zig ar, llvm-ar, handles its own).

// maxRspDepth bounds nested @file expansion (and breaks cycles).
const maxRspDepth = 16

// expandResponseFiles replaces each @file argument by the arguments in file.
// An @file that cannot be read stays as it is (GCC and clang do the same: it
// may be a file name that starts with '@').
func expandResponseFiles(args []string, readFile func(string) ([]byte, error)) ([]string, bool, error) {
	expanded := false
	var walk func(in []string, depth int) ([]string, error)
	walk = func(in []string, depth int) ([]string, error) {
		var out []string
		for _, a := range in {
			if len(a) < 2 || a[0] != '@' {
				out = append(out, a)
				continue
			}
			data, err := readFile(a[1:])
			if err != nil {
				out = append(out, a)
				continue
			}
			if depth >= maxRspDepth {
				return nil, fmt.Errorf("rules_go_cross: response files nested more than %d deep (a cycle?) at %s", maxRspDepth, a)
			}
			expanded = true
			inner, err := walk(splitResponseFile(string(data)), depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, inner...)
		}
		return out, nil
	}
	out, err := walk(args, 0)
	return out, expanded, err
}

// splitResponseFile splits the content of a response file into arguments
// with POSIX-shell-like quoting, which is what Bazel's GCC_QUOTED params
// files use: blanks separate arguments; a single-quoted string is literal
// (Bazel writes a single quote as quote, backslash, quote, quote); inside a
// double-quoted string and outside quotes a backslash escapes the next
// character, which also reads the %q strings Go's linker writes for
// printable arguments. GCC and clang read the same except that they also
// take a backslash inside single quotes as an escape. An empty quoted string
// is an empty argument.
func splitResponseFile(s string) []string {
	var args []string
	var cur strings.Builder
	inArg := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		case c == '\\':
			inArg = true
			if i+1 < len(s) {
				i++
				cur.WriteByte(s[i])
			} else {
				cur.WriteByte(c)
			}
		case c == '\'':
			inArg = true
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 { // unterminated: take the rest
				cur.WriteString(s[i+1:])
				i = len(s)
				break
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			inArg = true
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				cur.WriteByte(s[i])
			}
		default:
			inArg = true
			cur.WriteByte(c)
		}
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args
}

// Limits above which the rewritten command line goes into a response file:
// Linux limits one argument to 128 KiB and argv+envp together to a quarter of
// the stack limit (2 MiB by default).
const (
	maxInlineTotal = 512 << 10
	maxInlineArg   = 100 << 10
)

func tooLongForExec(args []string) bool {
	total := 0
	for _, a := range args {
		if len(a) > maxInlineArg {
			return true
		}
		total += len(a) + 1
	}
	return total > maxInlineTotal
}

// quoteForZig quotes one argument for zig 0.11's response file reader
// (std.process.ArgIteratorGeneral with comments and single quotes): blanks
// separate arguments, both ' and " toggle one quoting state, backslashes are
// literal except before a quote (2n backslashes + quote: n backslashes and
// the quote toggles; 2n+1: n backslashes and a literal "), and # at the start
// of an argument starts a comment. An argument holding ' cannot be written.
func quoteForZig(a string) (string, bool) {
	if strings.ContainsRune(a, '\'') {
		return "", false
	}
	if a != "" && !strings.ContainsAny(a, " \t\r\n\"\\") && a[0] != '#' {
		return a, true
	}
	var b strings.Builder
	b.WriteByte('"')
	slashes := 0
	for i := 0; i < len(a); i++ {
		switch c := a[i]; c {
		case '\\':
			slashes++
			b.WriteByte(c)
		case '"':
			for ; slashes > 0; slashes-- {
				b.WriteByte('\\')
			}
			b.WriteString(`\"`)
		default:
			slashes = 0
			b.WriteByte(c)
		}
	}
	for ; slashes > 0; slashes-- {
		b.WriteByte('\\')
	}
	b.WriteByte('"')
	return b.String(), true
}

// responseFileContent returns the response file for args, or false when an
// argument cannot be represented.
func responseFileContent(args []string) ([]byte, bool) {
	var b strings.Builder
	for _, a := range args {
		q, ok := quoteForZig(a)
		if !ok {
			return nil, false
		}
		b.WriteString(q)
		b.WriteByte('\n')
	}
	return []byte(b.String()), true
}

// shortenCommandLine moves zigArgs[1:] (everything after the zig subcommand)
// into a response file under dir when the command line is too long to exec.
// The file is named after its content, so concurrent and repeated launches
// with the same command line share one file and the directory does not grow
// with repeated builds.
func shortenCommandLine(zigArgs []string, dir string) ([]string, error) {
	if len(zigArgs) < 2 || !tooLongForExec(zigArgs) {
		return zigArgs, nil
	}
	content, ok := responseFileContent(zigArgs[1:])
	if !ok {
		return zigArgs, nil // try as it is; exec reports E2BIG if it fails
	}
	sum := sha256.Sum256(content)
	rspDir := filepath.Join(dir, "rules_go_cross-rsp")
	name := filepath.Join(rspDir, hex.EncodeToString(sum[:])+".rsp")
	if _, err := os.Stat(name); err != nil {
		if err := os.MkdirAll(rspDir, 0o777); err != nil {
			return nil, err
		}
		f, err := os.CreateTemp(rspDir, "tmp-*")
		if err != nil {
			return nil, err
		}
		_, werr := f.Write(content)
		cerr := f.Close()
		if werr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = os.Rename(f.Name(), name)
		}
		if werr != nil {
			os.Remove(f.Name())
			return nil, werr
		}
	}
	return []string{zigArgs[0], "@" + name}, nil
}
