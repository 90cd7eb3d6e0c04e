package debianlock

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path"
	"reflect"
	"strings"
	"time"
)

// Options configures Refresh.
type Options struct {
	Client *http.Client // nil: DefaultClient()
	Now    time.Time    // the refresh time for snapshot URLs; zero: time.Now()
	Log    io.Writer    // progress messages; nil: discarded
}

// candidate is the best entry found so far for one (package, arch).
type candidate struct {
	entry   IndexEntry
	version Version
	source  Source
}

// Refresh resolves old.Request against the archive and returns the new lock.
// For every requested architecture and package it picks the highest version
// found in any source's main/binary-<arch>/Packages.xz (on a tie, the
// earlier source). A package missing from every source for an architecture
// is an error. If the result equals old's locked list, old's snapshot time
// is kept so that a refresh without archive changes leaves the file as is.
func Refresh(ctx context.Context, old *Lock, opts Options) (*Lock, error) {
	req := old.Request
	if err := req.Validate(); err != nil {
		return nil, err
	}
	client := opts.Client
	if client == nil {
		client = DefaultClient()
	}
	logw := opts.Log
	if logw == nil {
		logw = io.Discard
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}

	wanted := map[string]bool{}
	for _, n := range req.Packages {
		wanted[n] = true
	}
	want := func(name string) bool { return wanted[name] }

	best := map[string]*candidate{} // key: name + " " + arch
	for _, src := range req.Sources {
		fmt.Fprintf(logw, "fetching %s\n", suiteURL(src, "Release"))
		rel, err := fetchRelease(ctx, client, src)
		if err != nil {
			return nil, err
		}
		for _, arch := range req.Architectures {
			fmt.Fprintf(logw, "fetching %s\n", suiteURL(src, indexPath(arch)))
			entries, err := fetchIndex(ctx, client, src, rel, arch, want)
			if err != nil {
				return nil, err
			}
			for _, e := range entries {
				if e.Architecture != arch && e.Architecture != "all" {
					return nil, fmt.Errorf("%s lists %s %s with Architecture %q; expected %s or all", suiteURL(src, indexPath(arch)), e.Package, e.Version, e.Architecture, arch)
				}
				v, err := ParseVersion(e.Version) // checked by ParsePackages
				if err != nil {
					return nil, err
				}
				k := e.Package + " " + arch
				if c := best[k]; c == nil || v.Compare(c.version) > 0 {
					best[k] = &candidate{entry: e, version: v, source: src}
				}
			}
		}
	}

	var missing []string
	for _, arch := range req.Architectures {
		for _, name := range req.Packages {
			if best[name+" "+arch] == nil {
				missing = append(missing, fmt.Sprintf("%s (%s)", name, arch))
			}
		}
	}
	if len(missing) > 0 {
		var searched []string
		for _, src := range req.Sources {
			searched = append(searched, suiteURL(src, "main/binary-<arch>/Packages.xz"))
		}
		return nil, fmt.Errorf("requested packages not found in any source: %s\nsearched: %s\ncheck the names (https://packages.debian.org/%s) or add a source that has them",
			strings.Join(missing, ", "), strings.Join(searched, ", "), req.Sources[0].Suite)
	}

	build := func(snapshotTime string) []Package {
		var pkgs []Package
		for _, arch := range req.Architectures {
			for _, name := range req.Packages {
				c := best[name+" "+arch]
				pkgs = append(pkgs, lockedPackage(c, arch, snapshotTime))
			}
		}
		SortPackages(pkgs)
		return pkgs
	}
	l := &Lock{Comment: Comment, Request: req}
	if old.SnapshotTime != "" {
		if pkgs := build(old.SnapshotTime); reflect.DeepEqual(pkgs, old.Packages) {
			l.SnapshotTime, l.Packages = old.SnapshotTime, pkgs
		}
	}
	if l.Packages == nil {
		l.SnapshotTime = now.UTC().Format(SnapshotTimeFormat)
		l.Packages = build(l.SnapshotTime)
	}
	if err := l.Validate(); err != nil {
		return nil, fmt.Errorf("internal error: refreshed lock is invalid: %w", err)
	}
	return l, nil
}

// lockedPackage turns the chosen index entry into a lock entry for arch.
func lockedPackage(c *candidate, arch, snapshotTime string) Package {
	e := c.entry
	var urls []string
	if c.source.Snapshot != "" {
		// snapshot.debian.org needs '+' escaped in the path.
		urls = append(urls, strings.TrimSuffix(c.source.Snapshot, "/")+"/"+snapshotTime+"/"+strings.ReplaceAll(e.Filename, "+", "%2B"))
	}
	urls = append(urls, strings.TrimSuffix(c.source.URL, "/")+"/"+e.Filename)
	return Package{
		Name:     e.Package,
		Version:  e.Version,
		Arch:     arch,
		Size:     e.Size,
		SHA256:   e.SHA256,
		Filename: path.Base(e.Filename),
		URLs:     urls,
	}
}
