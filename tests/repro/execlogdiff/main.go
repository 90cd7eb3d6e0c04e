// Command execlogdiff explains remote cache misses: given Bazel execution logs
// (--execution_log_json_file) of a build that populated a remote cache (-a) and of a build
// that should have hit it for every action (-b), it lists each spawn of -b that was not a
// cache hit, with its mnemonic, target and what differs from the matching spawn of -a
// (same mnemonic and first output): inputs whose digest differs or that only one side has,
// arguments, environment. Exit status 1 when -b has misses.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type digest struct {
	Hash      string `json:"hash"`
	SizeBytes string `json:"sizeBytes"`
}

type file struct {
	Path   string `json:"path"`
	Digest digest `json:"digest"`
}

type envVar struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type spawn struct {
	CommandArgs     []string `json:"commandArgs"`
	Environment     []envVar `json:"environmentVariables"`
	Inputs          []file   `json:"inputs"`
	ListedOutputs   []string `json:"listedOutputs"`
	Remotable       bool     `json:"remotable"`
	Cacheable       bool     `json:"cacheable"`
	RemoteCacheable bool     `json:"remoteCacheable"`
	Mnemonic        string   `json:"mnemonic"`
	Runner          string   `json:"runner"`
	RemoteCacheHit  bool     `json:"remoteCacheHit"` // Bazel 6
	CacheHit        bool     `json:"cacheHit"`       // Bazel 7 (disk or remote)
	TargetLabel     string   `json:"targetLabel"`
}

func (s *spawn) key() string {
	out := ""
	if len(s.ListedOutputs) > 0 {
		out = s.ListedOutputs[0]
	}
	return s.Mnemonic + " " + out
}

func read(path string) ([]*spawn, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	var out []*spawn
	for {
		var s spawn
		if err := dec.Decode(&s); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("%s: spawn %d: %w", path, len(out)+1, err)
		}
		out = append(out, &s)
	}
}

// remoteHit reports whether the spawn's result came from the remote cache. Bazel 7 sets
// cacheHit and names the runner "remote cache hit" ("disk cache hit" for the disk cache);
// Bazel 6 set remoteCacheHit.
func (s *spawn) remoteHit() bool {
	return s.RemoteCacheHit || (s.CacheHit && s.Runner != "disk cache hit") || s.Runner == "remote cache hit"
}

// misses are the spawns that could have come from the remote cache but ran.
func misses(spawns []*spawn) []*spawn {
	var out []*spawn
	for _, s := range spawns {
		if s.RemoteCacheable && s.Remotable && !s.remoteHit() {
			out = append(out, s)
		}
	}
	return out
}

func explain(w io.Writer, b, a *spawn) {
	fmt.Fprintf(w, "MISS %s %s (ran on %s)\n", b.Mnemonic, b.TargetLabel, b.Runner)
	if a == nil {
		fmt.Fprintf(w, "  no spawn with the same mnemonic and first output in the other build (outputs %v)\n", b.ListedOutputs)
		return
	}
	ai := map[string]digest{}
	for _, f := range a.Inputs {
		ai[f.Path] = f.Digest
	}
	var lines []string
	seen := map[string]bool{}
	for _, f := range b.Inputs {
		seen[f.Path] = true
		d, ok := ai[f.Path]
		switch {
		case !ok:
			lines = append(lines, "  input only in this build: "+f.Path)
		case d != f.Digest:
			lines = append(lines, fmt.Sprintf("  input differs: %s (%s/%s vs %s/%s)", f.Path, d.Hash, d.SizeBytes, f.Digest.Hash, f.Digest.SizeBytes))
		}
	}
	for _, f := range a.Inputs {
		if !seen[f.Path] {
			lines = append(lines, "  input only in the first build: "+f.Path)
		}
	}
	sort.Strings(lines)
	if strings.Join(a.CommandArgs, "\x00") != strings.Join(b.CommandArgs, "\x00") {
		lines = append(lines, fmt.Sprintf("  arguments differ:\n    %q\n    %q", a.CommandArgs, b.CommandArgs))
	}
	ae, be := map[string]string{}, map[string]string{}
	for _, e := range a.Environment {
		ae[e.Name] = e.Value
	}
	for _, e := range b.Environment {
		be[e.Name] = e.Value
		if ae[e.Name] != e.Value {
			lines = append(lines, fmt.Sprintf("  environment %s: %q vs %q", e.Name, ae[e.Name], e.Value))
		}
	}
	for n, v := range ae {
		if _, ok := be[n]; !ok {
			lines = append(lines, fmt.Sprintf("  environment %s=%q only in the first build", n, v))
		}
	}
	if len(lines) == 0 {
		lines = append(lines, "  same command, environment and inputs: the first build did not upload it (not cacheable there?)")
	}
	for i, l := range lines {
		if i == 20 {
			fmt.Fprintf(w, "  ... %d more differences\n", len(lines)-20)
			break
		}
		fmt.Fprintln(w, l)
	}
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("execlogdiff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	aPath := fs.String("a", "", "execution log (JSON) of the build that filled the cache")
	bPath := fs.String("b", "", "execution log (JSON) of the build that should only hit the cache")
	if err := fs.Parse(args); err != nil || *aPath == "" || *bPath == "" {
		fmt.Fprintln(stderr, "usage: execlogdiff -a first.json -b second.json")
		return 2
	}
	a, err := read(*aPath)
	if err != nil {
		fmt.Fprintln(stderr, "execlogdiff:", err)
		return 2
	}
	b, err := read(*bPath)
	if err != nil {
		fmt.Fprintln(stderr, "execlogdiff:", err)
		return 2
	}
	byKey := map[string]*spawn{}
	for _, s := range a {
		byKey[s.key()] = s
	}
	m := misses(b)
	hits := 0
	for _, s := range b {
		if s.remoteHit() {
			hits++
		}
	}
	for _, s := range m {
		explain(stdout, s, byKey[s.key()])
	}
	fmt.Fprintf(stdout, "%d spawns, %d remote cache hits, %d cacheable spawns missed\n", len(b), hits, len(m))
	if len(m) > 0 {
		return 1
	}
	return 0
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
