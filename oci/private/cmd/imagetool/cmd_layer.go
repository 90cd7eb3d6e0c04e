package main

import (
	"archive/tar"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/internal/oci/atomicfs"
	"github.com/rules-go-cross/rules_go_cross/internal/oci/layer"
)

func runLayer(args []string, stdout, stderr io.Writer) (err error) {
	fs := newFlagSet("layer", "-out app.tar [-gzip app.tar.gz] -file /path/in/image=host/path[:mode[:uid:gid]] ... [-dir /path[:mode[:uid:gid]]] [-symlink /path=target]", `
Writes a deterministic layer tar: entries sorted by path, missing parent
directories added (0755, root), owner 0:0 unless given, every mtime 0 (or
-mtime), no user/group names, atime or ctime. Host files' owners, mtimes and
mode bits do not matter: a file gets its explicit mode, else 0755 if it is
executable on the host and 0644 if not. A host directory is added
recursively. The uncompressed tar can be used as oci_image(tars = [...]) in
rules_oci.`, stderr)
	out := fs.String("out", "", "output layer tar (uncompressed)")
	gz := fs.String("gzip", "", "optional output: the same layer gzip-compressed (deterministic)")
	var files, dirs, links listFlag
	fs.Var(&files, "file", "/path/in/image=host/path[:mode[:uid:gid]], mode in octal (repeatable)")
	fs.Var(&dirs, "dir", "/path[:mode[:uid:gid]]: an (empty) directory, mode in octal, default 0755 (repeatable)")
	fs.Var(&links, "symlink", "/path/in/image=target: a symlink (repeatable)")
	var mtime timeFlag
	fs.Var(&mtime, "mtime", "mtime of every entry: seconds since 1970 (SOURCE_DATE_EPOCH) or RFC 3339; default 0")
	level := fs.Int("level", layer.DefaultLevel, "gzip level for -gzip, 1 (fastest) to 9 (smallest)")
	if err := parse(fs, args, "out"); err != nil {
		return err
	}
	if err := layer.CheckLevel(*level); err != nil {
		return err
	}
	b := layer.NewBuilder()
	for _, f := range files {
		spec, err := parseFileSpec(f)
		if err != nil {
			return err
		}
		if err := b.AddHost(layer.HostFile{Dest: spec.dest, Src: spec.src, Mode: spec.mode, UID: spec.uid, GID: spec.gid}); err != nil {
			return err
		}
	}
	for _, d := range dirs {
		spec, err := parseDirSpec(d)
		if err != nil {
			return err
		}
		if err := b.Add(layer.Entry{Path: spec.path, Type: tar.TypeDir, Mode: spec.mode, UID: spec.uid, GID: spec.gid, Origin: "-dir " + d}); err != nil {
			return err
		}
	}
	for _, l := range links {
		p, target, ok := strings.Cut(l, "=")
		if !ok || !strings.HasPrefix(p, "/") || target == "" {
			return fmt.Errorf("-symlink %q is not /path/in/image=target", l)
		}
		if err := b.Add(layer.Entry{Path: p, Type: tar.TypeSymlink, Mode: 0o777, Linkname: target, Origin: "-symlink " + l}); err != nil {
			return err
		}
	}
	var written outputs
	defer func() {
		if err != nil {
			written.removeAll()
		}
	}()
	if err := atomicfs.WriteFile(*out, 0o644, func(w io.Writer) error { return b.WriteTar(w, mtime.Time()) }); err != nil {
		return err
	}
	written.add(*out)
	if *gz != "" {
		f, err := os.Open(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		var blob layer.Blob
		if err := atomicfs.WriteFile(*gz, 0o644, func(w io.Writer) error {
			blob, err = layer.Gzip(w, f, *level)
			return err
		}); err != nil {
			return err
		}
		written.add(*gz)
		fmt.Fprintf(stderr, "imagetool layer: %d entries, diff_id %s, gzip digest %s\n", b.Len(), blob.DiffID, blob.Digest)
	}
	return nil
}
