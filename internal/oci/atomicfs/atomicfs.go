// Package atomicfs writes output files and directories atomically: content is
// produced under a temporary name in the destination's directory and renamed
// into place only when it is complete. On error the temporary output is
// removed, so a failed action never leaves a half-written output behind.
package atomicfs

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile creates path with permissions perm by calling write with a
// buffered writer for a temporary file in the same directory, then renaming it
// to path. An existing file at path is replaced.
func WriteFile(path string, perm os.FileMode, write func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if base == "" {
		return fmt.Errorf("output path %q names a directory; pass a file path", path)
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("cannot create output %s (does its directory exist and is it writable?): %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = f.Chmod(perm); err != nil {
		return fmt.Errorf("setting mode of %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("moving finished output into place at %s: %w", path, err)
	}
	return nil
}

// WriteBytes is WriteFile for content already in memory.
func WriteBytes(path string, perm os.FileMode, data []byte) error {
	return WriteFile(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteDir creates the directory path by calling fill with the path of a fresh
// temporary directory next to it and renaming that directory to path when fill
// succeeds. path may already exist only as an empty directory (as Bazel
// creates declared output directories); it is replaced. The finished
// directory has mode 0755.
func WriteDir(path string, fill func(tmp string) error) (err error) {
	path = filepath.Clean(path)
	if err := CheckOutputDir(path); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("cannot create output directory next to %s (is its parent writable?): %w", path, err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err = fill(tmp); err != nil {
		return err
	}
	if err = os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("setting mode of %s: %w", path, err)
	}
	// An empty directory left by Bazel (or a previous run) is replaced.
	if rerr := os.Remove(path); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
		err = fmt.Errorf("cannot replace existing %s: %w", path, rerr)
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("moving finished output directory into place at %s: %w", path, err)
	}
	return nil
}

// CheckOutputDir reports an error if path exists and is anything but an
// empty directory, so that work is not done only to fail at the end.
func CheckOutputDir(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("checking output directory %s: %w", path, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("output directory %s exists and is not a directory; remove it or choose another -out", path)
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return fmt.Errorf("checking output directory %s: %w", path, err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("output directory %s is not empty; remove it or choose another -out", path)
	}
	return nil
}
