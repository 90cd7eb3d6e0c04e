package debianlock

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"
)

// Validate checks the request: at least one source, architecture and
// package; https URLs; well-formed, unique suite, architecture and package
// names.
func (r *Request) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("request: "+format, args...)) }
	if len(r.Sources) == 0 {
		bad(`"sources" is empty; add at least one {"url": "https://deb.debian.org/debian", "suite": "trixie", "snapshot": "https://snapshot.debian.org/archive/debian"}`)
	}
	seenSrc := map[string]bool{}
	for i, s := range r.Sources {
		where := fmt.Sprintf("sources[%d]", i)
		if err := checkBaseURL(s.URL); err != nil {
			bad("%s: url: %v", where, err)
		}
		if s.Snapshot != "" {
			if err := checkBaseURL(s.Snapshot); err != nil {
				bad("%s: snapshot: %v", where, err)
			}
		}
		if !validSuite(s.Suite) {
			bad("%s: suite %q is not a suite name like \"trixie\" or \"trixie-security\"", where, s.Suite)
		}
		k := strings.TrimSuffix(s.URL, "/") + " " + s.Suite
		if seenSrc[k] {
			bad("%s: %s %s is listed twice", where, s.URL, s.Suite)
		}
		seenSrc[k] = true
	}
	if len(r.Architectures) == 0 {
		bad(`"architectures" is empty; add Debian architecture names such as "amd64", "arm64"`)
	}
	seen := map[string]bool{}
	for i, a := range r.Architectures {
		switch {
		case a == "all":
			bad(`architectures[%d]: "all" is not a machine architecture; list real ones (all-architecture packages are locked for each)`, i)
		case !validArch(a):
			bad("architectures[%d]: %q is not a Debian architecture name such as \"amd64\"", i, a)
		case seen[a]:
			bad("architectures[%d]: %q is listed twice", i, a)
		}
		seen[a] = true
	}
	if len(r.Packages) == 0 {
		bad(`"packages" is empty; list every package the base needs (dependencies are not resolved)`)
	}
	seen = map[string]bool{}
	for i, p := range r.Packages {
		switch {
		case !validPackageName(p):
			bad("packages[%d]: %q is not a Debian package name (lowercase letters, digits, '+', '-', '.'; at least 2 characters)", i, p)
		case seen[p]:
			bad("packages[%d]: %q is listed twice", i, p)
		}
		seen[p] = true
	}
	return errors.Join(errs...)
}

// Validate checks the whole lock: the request, every locked package, the
// sort order, and that exactly the requested packages are locked for every
// requested architecture.
func (l *Lock) Validate() error {
	if err := l.Request.Validate(); err != nil {
		return err
	}
	var errs []error
	if l.SnapshotTime != "" {
		if _, err := time.Parse(SnapshotTimeFormat, l.SnapshotTime); err != nil {
			errs = append(errs, fmt.Errorf("snapshot_time %q is not of the form 20060102T150405Z; run refresh", l.SnapshotTime))
		}
	} else if len(l.Packages) > 0 {
		errs = append(errs, fmt.Errorf("snapshot_time is missing; run refresh"))
	}
	wantArch := map[string]bool{}
	for _, a := range l.Request.Architectures {
		wantArch[a] = true
	}
	wantName := map[string]bool{}
	for _, n := range l.Request.Packages {
		wantName[n] = true
	}
	locked := map[string]bool{}
	for i, p := range l.Packages {
		where := fmt.Sprintf("packages[%d] (%s %s)", i, p.Name, p.Arch)
		if err := p.validate(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w; do not edit the locked list by hand, run refresh", where, err))
			continue
		}
		if locked[p.Key()] {
			errs = append(errs, fmt.Errorf("%s: locked twice; run refresh", where))
		}
		locked[p.Key()] = true
		if i > 0 && !lessPkg(l.Packages[i-1], p) && l.Packages[i-1].Key() != p.Key() {
			errs = append(errs, fmt.Errorf("%s: packages are not sorted by name and arch; run refresh", where))
		}
		if !wantName[p.Name] || !wantArch[p.Arch] {
			errs = append(errs, fmt.Errorf("%s: locked but not requested; run refresh to drop it", where))
		}
	}
	for _, n := range l.Request.Packages {
		for _, a := range l.Request.Architectures {
			if !locked[n+" "+a] {
				errs = append(errs, fmt.Errorf("package %s %s is requested but not locked; run refresh", n, a))
			}
		}
	}
	return errors.Join(errs...)
}

func lessPkg(a, b Package) bool {
	if a.Name != b.Name {
		return a.Name < b.Name
	}
	return a.Arch < b.Arch
}

func (p *Package) validate() error {
	switch {
	case !validPackageName(p.Name):
		return fmt.Errorf("name %q is not a Debian package name", p.Name)
	case p.Version == "":
		return fmt.Errorf("version is missing")
	case !validArch(p.Arch) || p.Arch == "all":
		return fmt.Errorf("arch %q is not a requested machine architecture", p.Arch)
	case p.Size <= 0:
		return fmt.Errorf("size %d is not positive", p.Size)
	case !validSHA256(p.SHA256):
		return fmt.Errorf("sha256 %q is not 64 lowercase hex digits", p.SHA256)
	case !validDebFilename(p.Filename):
		return fmt.Errorf("filename %q is not a plain file name ending in .deb", p.Filename)
	case len(p.URLs) == 0:
		return fmt.Errorf("urls is empty")
	}
	if _, err := ParseVersion(p.Version); err != nil {
		return err
	}
	https := false
	for _, u := range p.URLs {
		pu, err := url.Parse(u)
		if err != nil || pu.Host == "" || (pu.Scheme != "https" && pu.Scheme != "http") {
			return fmt.Errorf("url %q is not an absolute http(s) URL", u)
		}
		if path.Base(pu.Path) != p.Filename {
			return fmt.Errorf("url %q does not end in the filename %q", u, p.Filename)
		}
		https = https || pu.Scheme == "https"
	}
	if !https {
		return fmt.Errorf("no https URL among %q", p.URLs)
	}
	return nil
}

// checkBaseURL accepts an absolute https URL without query or fragment.
func checkBaseURL(s string) error {
	if s == "" {
		return fmt.Errorf("missing; want an https URL such as https://deb.debian.org/debian")
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q: %v", s, err)
	}
	if u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q is not an https URL (the Release signature is not checked, so https is the only protection; use https://deb.debian.org/...)", s)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%q must not have a query, fragment or user info", s)
	}
	return nil
}

// validPackageName follows Debian Policy 5.6.1.
func validPackageName(s string) bool {
	if len(s) < 2 || !isLowerAlnum(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLowerAlnum(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func validArch(s string) bool {
	if s == "" || !isLowerAlnum(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLowerAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

func validSuite(s string) bool {
	if s == "" || !isAlnum(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '-' && c != '.' && c != '_' {
			return false
		}
	}
	return true
}

func validSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isDigit(c) && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// validPoolPath accepts a relative, clean pool path made of the characters
// Debian uses in file names, e.g. pool/main/g/glibc/libc6_2.41-12_amd64.deb.
func validPoolPath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || path.Clean(p) != p {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." || seg == "" {
			return false
		}
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; !isAlnum(c) && !strings.ContainsRune("/._+~-", rune(c)) {
			return false
		}
	}
	return validDebFilename(path.Base(p))
}

// validDebFilename accepts a plain file name (no directory, no leading dot,
// no characters that need quoting) ending in .deb.
func validDebFilename(s string) bool {
	if len(s) <= len(".deb") || !strings.HasSuffix(s, ".deb") || !isAlnum(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && !strings.ContainsRune("._+~-", rune(c)) {
			return false
		}
	}
	return true
}

func isLowerAlnum(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'z' }
