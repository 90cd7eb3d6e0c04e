package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/bits"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// This file knows zig 0.11's cache (lib/std/Build/Cache.zig) well enough to
// make a runtime built on several CPUs canonical (runtime.go):
//
//	h/<key>.txt   a manifest: a header line, then one line per input file,
//	              "<size> <inode> <mtime> <hash> <prefix> <path>"; <key> is
//	              the hash of everything zig knew before compiling
//	o/<digest>/   the outputs: <digest> is SipHash-1-3-128 (Cache.zig's
//	              key) of the binary <key> followed by each file's binary
//	              <hash>, in the manifest's order
//
// The manifest of a whole sub-compilation (an archive such as libc.a,
// libc++.a or libcompiler_rt.a) lists its sources first, then, per member,
// the member's source and headers in the order the compile threads finish.

// cacheSourceExts are the inputs zig's own sub-compilations compile (C,
// C++, assembly, Zig), as opposed to the headers they include.
var cacheSourceExts = map[string]bool{".c": true, ".cc": true, ".cpp": true, ".cxx": true, ".s": true, ".S": true, ".zig": true}

// manifestFile is one input line of a manifest.
type manifestFile struct {
	hash [16]byte
	path string
}

// parseManifest reads the input lines of a zig 0.11 manifest.
func parseManifest(data []byte) ([]manifestFile, error) {
	var files []manifestFile
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	first := true
	for sc.Scan() {
		line := sc.Text()
		if first { // the header
			first = false
			continue
		}
		f := strings.SplitN(line, " ", 6)
		if len(f) != 6 || len(f[3]) != 32 {
			return nil, fmt.Errorf("not a zig 0.11 manifest line: %q", line)
		}
		var mf manifestFile
		if _, err := hex.Decode(mf.hash[:], []byte(f[3])); err != nil {
			return nil, fmt.Errorf("not a zig 0.11 manifest line: %q: %v", line, err)
		}
		mf.path = f[5]
		files = append(files, mf)
	}
	return files, sc.Err()
}

// isWholeBuild reports whether a manifest is that of a sub-compilation of
// several sources (an archive, or a crt file that includes another source),
// whose input order follows the compile threads.
func isWholeBuild(files []manifestFile) bool {
	seen := map[string]bool{}
	for _, f := range files {
		if cacheSourceExts[filepath.Ext(f.path)] {
			seen[f.path] = true
		}
	}
	return len(seen) > 1
}

// outputDigest is the o/ directory name zig gives the outputs of the
// manifest h/<key>.txt with these input files.
func outputDigest(key string, files []manifestFile) (string, error) {
	bin, err := hex.DecodeString(key)
	if err != nil || len(bin) != 16 {
		return "", fmt.Errorf("manifest name %q is not a zig 0.11 cache key", key)
	}
	msg := make([]byte, 0, 16*(len(files)+1))
	msg = append(msg, bin...)
	for _, f := range files {
		msg = append(msg, f.hash[:]...)
	}
	sum := sipHash13x128(zigCacheKey, msg)
	return hex.EncodeToString(sum[:]), nil
}

// zigCacheKey is Cache.zig's hasher_init key.
var zigCacheKey = [16]byte{0x33, 0x52, 0xa2, 0x84, 0xcf, 0x17, 0x56, 0x57, 0x01, 0xbb, 0xcd, 0xe4, 0x77, 0xd6, 0xf0, 0x60}

// sipHash13x128 is SipHash-1-3 with a 128-bit output, as zig's
// std.crypto.auth.siphash.SipHash128(1, 3) computes it.
func sipHash13x128(key [16]byte, msg []byte) [16]byte {
	k0 := binary.LittleEndian.Uint64(key[:8])
	k1 := binary.LittleEndian.Uint64(key[8:])
	v0, v1, v2, v3 := k0^0x736f6d6570736575, k1^0x646f72616e646f6d^0xee, k0^0x6c7967656e657261, k1^0x7465646279746573
	round := func() {
		v0 += v1
		v1 = bits.RotateLeft64(v1, 13)
		v1 ^= v0
		v0 = bits.RotateLeft64(v0, 32)
		v2 += v3
		v3 = bits.RotateLeft64(v3, 16)
		v3 ^= v2
		v0 += v3
		v3 = bits.RotateLeft64(v3, 21)
		v3 ^= v0
		v2 += v1
		v1 = bits.RotateLeft64(v1, 17)
		v1 ^= v2
		v2 = bits.RotateLeft64(v2, 32)
	}
	block := func(m uint64) {
		v3 ^= m
		round() // c = 1
		v0 ^= m
	}
	n := len(msg)
	for len(msg) >= 8 {
		block(binary.LittleEndian.Uint64(msg))
		msg = msg[8:]
	}
	var last [8]byte
	copy(last[:], msg)
	last[7] = byte(n)
	block(binary.LittleEndian.Uint64(last[:]))
	v2 ^= 0xee
	for i := 0; i < 3; i++ { // d = 3
		round()
	}
	var out [16]byte
	binary.LittleEndian.PutUint64(out[:8], v0^v1^v2^v3)
	v1 ^= 0xdd
	for i := 0; i < 3; i++ {
		round()
	}
	binary.LittleEndian.PutUint64(out[8:], v0^v1^v2^v3)
	return out
}

// removeWholeBuilds deletes, before the single-threaded second pass, the
// manifests of whole sub-compilations and their outputs, so that zig makes
// them again from the cached members in its fixed queue order. It also
// deletes zig's ZIR cache (z/) and scratch (tmp/): compiler-rt (Zig code)
// rebuilt from a ZIR cache that several threads wrote differs in a few
// bytes of its debug line tables from compiler-rt built on one thread.
func removeWholeBuilds(cache string) error {
	for _, d := range []string{"z", "tmp"} {
		if err := os.RemoveAll(filepath.Join(cache, d)); err != nil {
			return err
		}
	}
	manifests, err := readManifests(cache)
	if err != nil {
		return err
	}
	for key, files := range manifests {
		if !isWholeBuild(files) {
			continue
		}
		digest, err := outputDigest(key, files)
		if err != nil {
			return err
		}
		if err := os.RemoveAll(filepath.Join(cache, "o", digest)); err != nil {
			return err
		}
		if err := os.Remove(filepath.Join(cache, "h", key+".txt")); err != nil {
			return err
		}
	}
	return nil
}

// pruneOrphans deletes the o/ directories no manifest leads to or reads
// from (none, after a clean build; kept as a guarantee that nothing
// order-dependent is left), and fails when a manifest leads to a directory
// that is not there (zig would take it for a hit and the link would fail).
// Manifests read files of the cache itself, such as the builtin.zig of
// compiler-rt in an o/ directory of its own that no manifest leads to.
func pruneOrphans(cache string) error {
	manifests, err := readManifests(cache)
	if err != nil {
		return err
	}
	reachable := map[string]bool{}
	for key, files := range manifests {
		digest, err := outputDigest(key, files)
		if err != nil {
			return err
		}
		reachable[digest] = true
		for _, f := range files {
			if d, ok := cacheOutputDir(f.path); ok {
				reachable[d] = true
			}
		}
		if _, err := os.Stat(filepath.Join(cache, "o", digest)); err != nil {
			return fmt.Errorf("zig cache %s: manifest h/%s.txt leads to o/%s, which is missing (this launcher knows zig 0.11's cache; is the Zig SDK another version?)", cache, key, digest)
		}
	}
	entries, err := os.ReadDir(filepath.Join(cache, "o"))
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !reachable[e.Name()] {
			if err := os.RemoveAll(filepath.Join(cache, "o", e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// cacheOutputDir returns <digest> for an input file o/<digest>/... of the
// cache itself.
func cacheOutputDir(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, "o/")
	if !ok {
		return "", false
	}
	d, _, ok := strings.Cut(rest, "/")
	if !ok || len(d) != 32 {
		return "", false
	}
	if _, err := hex.DecodeString(d); err != nil {
		return "", false
	}
	return d, true
}

// readManifests parses every h/<key>.txt of a zig cache, by key.
func readManifests(cache string) (map[string][]manifestFile, error) {
	names, err := filepath.Glob(filepath.Join(cache, "h", "*.txt"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := map[string][]manifestFile{}
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		files, err := parseManifest(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", n, err)
		}
		out[strings.TrimSuffix(filepath.Base(n), ".txt")] = files
	}
	return out, nil
}
