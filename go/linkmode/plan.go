package linkmode

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Link is how a binary is linked.
type Link string

// Link kinds. LinkStaticPIE is never planned but reported by verify.
const (
	LinkStatic    Link = "static"     // no PT_INTERP, fixed addresses
	LinkStaticPIE Link = "static-pie" // no PT_INTERP, position independent
	LinkDynamic   Link = "dynamic"    // PT_INTERP and DT_NEEDED libraries
)

// BaseKind is the kind of image base a binary needs at run time: which C
// library the base provides. This package declares the kinds; base images
// are built per kind (internal/oci/baseimage), and a kind can have several named
// bases (variants such as glibc_full, declared in oci/private/variants.bzl).
type BaseKind string

// Base kinds: "static" has no libc (a static binary runs anywhere); the
// others are named after the C library of the platform table whose dynamic
// loader and libc they provide.
const (
	BaseStatic BaseKind = "static"
	BaseMusl   BaseKind = BaseKind(LibcMusl)
	BaseGlibc  BaseKind = BaseKind(LibcGlibc)
)

// BaseKinds lists the base kinds smallest first, the order in which
// go_image(base = "auto") tries them: static, then one per C library of the
// platform table.
var BaseKinds = func() []BaseKind {
	out := []BaseKind{BaseStatic}
	for _, l := range Libcs {
		if l != LibcNone {
			out = append(out, BaseKind(l))
		}
	}
	return out
}()

// BaseKindOf returns the kind of base that provides C library l (BaseStatic
// for LibcNone).
func BaseKindOf(l Libc) BaseKind {
	if l == LibcNone {
		return BaseStatic
	}
	return BaseKind(l)
}

// Libc returns the C library a base of kind b provides (LibcNone for
// BaseStatic).
func (b BaseKind) Libc() Libc {
	if b == BaseStatic {
		return LibcNone
	}
	return Libc(b)
}

// ParseBaseKind returns the base kind named s or an error listing the kinds.
func ParseBaseKind(s string) (BaseKind, error) {
	for _, k := range BaseKinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown base kind %q: valid kinds are %s", s, join(BaseKinds))
}

// RunsOn reports whether a binary that needs base kind b starts on base
// on: a static binary starts on every base, a dynamic one only on its libc's.
func (b BaseKind) RunsOn(on BaseKind) bool { return b == BaseStatic || b == on }

// Tags added by the planner.
const (
	TagNetgo    = "netgo"
	TagOSUsergo = "osusergo"
	// TagMusl is the convention of modules that ship code or prebuilt
	// archives per libc; Go never sets it, rules_go_cross does on musl.
	TagMusl = "musl"
)

// DefaultLDFlags strip the symbol table and DWARF. Build info
// (debug/buildinfo) survives them, so verify still works.
var DefaultLDFlags = []string{"-s", "-w"}

// Linker flags for the cgo cases. Musl is linked statically by the external
// linker (zig cc), glibc dynamically; external linking lets zig pin the
// GLIBC symbol versions to the target (x86_64-linux-gnu.2.28).
var (
	muslCgoLDFlags  = []string{"-linkmode", "external", "-extldflags", "-static"}
	glibcCgoLDFlags = []string{"-linkmode", "external"}
)

// maxListed caps the per-package reason lines.
const maxListed = 10

// Plan is the decision for one binary on one platform.
type Plan struct {
	Platform string   `json:"platform"` // e.g. linux_arm64_musl
	Target   Target   `json:"target"`
	Cgo      bool     `json:"cgo"`     // CGO_ENABLED=1
	Link     Link     `json:"link"`    // static or dynamic
	Tags     []string `json:"tags"`    // build tags, sorted; facts tags included
	LDFlags  []string `json:"ldflags"` // go build -ldflags, one flag per element
	Base     BaseKind `json:"base"`    // image base kind the binary needs
	// Env is the environment for go build: GOOS, GOARCH, CGO_ENABLED.
	Env []string `json:"env"`
	// ZigTarget is the -target for `zig cc` when Cgo is set, e.g.
	// x86_64-linux-musl or x86_64-linux-gnu (append .2.28 to pin glibc).
	ZigTarget string `json:"zig_target,omitempty"`
	// Interpreter is the PT_INTERP path of a dynamic binary.
	Interpreter string `json:"interpreter,omitempty"`
	// CgoPackages are the non-standard packages that need cgo.
	CgoPackages []string `json:"cgo_packages,omitempty"`
	// Reasons explain the decision, one human-readable line each.
	Reasons []string `json:"reasons"`
}

// LDFlagsString returns the value for go build -ldflags.
func (p *Plan) LDFlagsString() string { return strings.Join(p.LDFlags, " ") }

// TagsString returns the value for go build -tags.
func (p *Plan) TagsString() string { return strings.Join(p.Tags, ",") }

// ImpossibleError means the facts cannot be built for the platform. It
// names the packages responsible and what to do.
type ImpossibleError struct {
	Platform string
	Packages []string // the packages that make the platform impossible
	Problem  string
	Fix      string
}

func (e *ImpossibleError) Error() string {
	return fmt.Sprintf("platform %s %s. %s", e.Platform, e.Problem, e.Fix)
}

// AsImpossible returns the *ImpossibleError in err's chain, if any.
func AsImpossible(err error) (*ImpossibleError, bool) {
	var ie *ImpossibleError
	ok := errors.As(err, &ie)
	return ie, ok
}

// Decide plans how to build the binary described by f for t. The rules are
// in the package documentation and README.md.
func Decide(f Facts, t Target) (*Plan, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	s := f.Summarize()
	p := &Plan{Platform: t.Platform(), Target: t, CgoPackages: s.NeedCgoPaths()}
	needCgo := len(s.NeedCgo) > 0
	usesPlugin := s.Uses(PkgPlugin)

	switch t.Libc {
	case LibcNone:
		if needCgo || usesPlugin {
			return nil, impossibleNone(p.Platform, t.Arch, s)
		}
		p.pure(s, fmt.Sprintf("platform %s has no libc -> cgo off (CGO_ENABLED=0)", p.Platform))
	case LibcMusl:
		if usesPlugin {
			return nil, &ImpossibleError{
				Platform: p.Platform,
				Packages: []string{PkgPlugin},
				Problem:  fmt.Sprintf("links musl statically, but package plugin is used%s and plugin.Open needs dynamic linking (dlopen)", importedBy(s, PkgPlugin)),
				Fix:      fmt.Sprintf("Pick a glibc platform, e.g. linux_%s_glibc, or stop importing plugin.", t.Arch),
			}
		}
		if !needCgo {
			p.pure(s, fmt.Sprintf("no package needs cgo, and musl offers nothing over the pure-Go net and os/user -> cgo off (CGO_ENABLED=0), the same binary linux_%s builds without a C toolchain", t.Arch))
			break
		}
		p.cgoReasons(s)
		p.Cgo, p.Link, p.Base = true, LinkStatic, BaseStatic
		p.LDFlags = append(append([]string{}, DefaultLDFlags...), muslCgoLDFlags...)
		p.ZigTarget = ZigTarget(t.Arch, LibcMusl)
		p.Reasons = append(p.Reasons, fmt.Sprintf("musl is linked statically (-linkmode external -extldflags -static, zig cc -target %s) -> static binary, base %q (no libc needed at run time)", p.ZigTarget, BaseStatic))
		p.Tags = append(p.Tags, TagMusl)
		p.Reasons = append(p.Reasons, "musl platform -> tag musl: modules that ship code or prebuilt archives per libc pick their musl ones (rules_go_cross sets it on its musl platforms)")
		p.pureTags(s, "same pure-Go resolver as CGO_ENABLED=0 builds; musl has no NSS to offer", "users and groups from /etc/passwd and /etc/group")
	case LibcGlibc:
		usesNet, usesUser := s.Uses(PkgNet), s.Uses(PkgOSUser)
		if !needCgo && !usesPlugin && !usesNet && !usesUser {
			p.pure(s, fmt.Sprintf("no package needs cgo and net, os/user, plugin are not used -> cgo off (CGO_ENABLED=0), the same binary linux_%s builds; it runs on any base including glibc", t.Arch))
			break
		}
		p.cgoReasons(s)
		if usesNet {
			p.Reasons = append(p.Reasons, fmt.Sprintf("package net is used%s -> cgo on, no netgo tag: DNS lookups go through glibc (NSS, /etc/nsswitch.conf)", importedBy(s, PkgNet)))
		}
		if usesUser {
			p.Reasons = append(p.Reasons, fmt.Sprintf("package os/user is used%s -> cgo on, no osusergo tag: user lookups go through glibc NSS", importedBy(s, PkgOSUser)))
		}
		if usesPlugin {
			p.Reasons = append(p.Reasons, fmt.Sprintf("package plugin is used%s -> cgo on and dynamic: plugin.Open needs dlopen", importedBy(s, PkgPlugin)))
		}
		p.Cgo, p.Link, p.Base = true, LinkDynamic, BaseGlibc
		p.LDFlags = append(append([]string{}, DefaultLDFlags...), glibcCgoLDFlags...)
		p.ZigTarget = ZigTarget(t.Arch, LibcGlibc)
		p.Interpreter = GlibcInterpreter(t.Arch)
		p.Reasons = append(p.Reasons, fmt.Sprintf("glibc is linked dynamically (-linkmode external, zig cc -target %s.<version> pins the newest GLIBC symbol version) -> base %q with %s and libc.so.6", p.ZigTarget, BaseGlibc, p.Interpreter))
	}
	p.Tags = mergeTags(f.Tags, p.Tags)
	if len(f.Tags) > 0 {
		p.Reasons = append(p.Reasons, fmt.Sprintf("build tags %s from the facts are kept", strings.Join(f.Tags, ",")))
	}
	p.Reasons = append(p.Reasons, "-s -w: no symbol table or DWARF (smaller image; build info stays readable)")
	cgoEnabled := "0"
	if p.Cgo {
		cgoEnabled = "1"
	}
	p.Env = []string{"GOOS=" + t.OS, "GOARCH=" + string(t.Arch), "CGO_ENABLED=" + cgoEnabled}
	return p, nil
}

// pure fills p for a CGO_ENABLED=0 build.
func (p *Plan) pure(s Summary, why string) {
	p.Cgo, p.Link, p.Base = false, LinkStatic, BaseStatic
	p.LDFlags = append([]string{}, DefaultLDFlags...)
	p.Reasons = append(p.Reasons, why)
	p.Reasons = append(p.Reasons, fmt.Sprintf("Go's internal linker writes a static binary -> base %q (runs on any base)", BaseStatic))
	p.pureTags(s, "pure-Go DNS resolver, reads /etc/resolv.conf and /etc/hosts", "users and groups from /etc/passwd and /etc/group")
}

// pureTags adds netgo and osusergo when net and os/user are used.
func (p *Plan) pureTags(s Summary, netWhy, userWhy string) {
	if s.Uses(PkgNet) {
		p.Tags = append(p.Tags, TagNetgo)
		p.Reasons = append(p.Reasons, fmt.Sprintf("package net is used%s -> tag netgo: %s", importedBy(s, PkgNet), netWhy))
	}
	if s.Uses(PkgOSUser) {
		p.Tags = append(p.Tags, TagOSUsergo)
		p.Reasons = append(p.Reasons, fmt.Sprintf("package os/user is used%s -> tag osusergo: %s", importedBy(s, PkgOSUser), userWhy))
	}
}

// cgoReasons adds one line per package that needs cgo.
func (p *Plan) cgoReasons(s Summary) {
	for i, n := range s.NeedCgo {
		if i == maxListed {
			p.Reasons = append(p.Reasons, fmt.Sprintf("... and %d more packages need cgo", len(s.NeedCgo)-maxListed))
			break
		}
		p.Reasons = append(p.Reasons, fmt.Sprintf("package %s %s -> cgo on", n.ImportPath, n.Why))
	}
}

func impossibleNone(platform string, arch Arch, s Summary) error {
	var problems, pkgs []string
	if n := len(s.NeedCgo); n > 0 {
		var whys []string
		for i, c := range s.NeedCgo {
			if i == maxListed {
				whys = append(whys, fmt.Sprintf("and %d more", n-maxListed))
				break
			}
			whys = append(whys, c.ImportPath+" "+c.Why)
		}
		noun := "package needs"
		if n > 1 {
			noun = "packages need"
		}
		problems = append(problems, fmt.Sprintf("%d %s cgo: %s", n, noun, strings.Join(whys, "; ")))
		pkgs = append(pkgs, s.NeedCgoPaths()...)
	}
	fix := fmt.Sprintf("Pick a musl or glibc platform, e.g. linux_%s_musl (static) or linux_%s_glibc (dynamic).", arch, arch)
	if s.Uses(PkgPlugin) {
		problems = append(problems, fmt.Sprintf("package plugin is used%s and plugin.Open needs cgo and dynamic linking", importedBy(s, PkgPlugin)))
		pkgs = append(pkgs, PkgPlugin)
		fix = fmt.Sprintf("Pick a glibc platform, e.g. linux_%s_glibc, or stop importing plugin.", arch)
	}
	return &ImpossibleError{
		Platform: platform,
		Packages: pkgs,
		Problem:  "has no libc (pure Go, CGO_ENABLED=0), but " + strings.Join(problems, ", and "),
		Fix:      fix,
	}
}

// importedBy returns " (imported by a, b and 3 more)" or "".
func importedBy(s Summary, pkg string) string {
	users := s.StdUsers[pkg]
	if len(users) == 0 {
		return ""
	}
	return " (imported by " + list(users, 3) + ")"
}

// mergeTags returns the sorted union of the tag lists, never nil.
func mergeTags(lists ...[]string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, l := range lists {
		for _, t := range l {
			if t != "" && !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	sort.Strings(out)
	return out
}
