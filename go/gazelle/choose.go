package gazelle

import (
	"fmt"
	"strings"

	"github.com/rules-go-cross/rules_go_cross/go/linkmode"
)

// selection is what the planner decides for one binary's images.
type selection struct {
	// needsLibc is set when the binary cannot be built without a libc on
	// some architecture (a package needs cgo, or plugin is used): its
	// images get only musl/glibc platforms and cgo_platforms_only().
	needsLibc bool
	// platforms are the index's platforms, by name.
	platforms []string
	// warnings say which explicitly listed platforms were left out, and why.
	warnings []string
}

// choose picks the platforms of a binary with facts (per architecture; an
// architecture is missing when the main package has no Go file for it).
// explicit are the go_image_platforms names (nil: the planner's choice:
// the pure platforms, or every musl and glibc platform when the binary needs
// a libc); base is the go_image_base value. A platform is kept when the
// planner can build the binary for it and the binary starts on base there.
// It fails when no platform is left, naming each platform's reason.
func choose(facts map[linkmode.Arch]*linkmode.Facts, explicit []string, base string) (selection, error) {
	var sel selection
	var noLibc error // why a platform without libc cannot build the binary
	for _, arch := range linkmode.Arches {
		if f := facts[arch]; f != nil {
			if _, err := linkmode.Decide(*f, linkmode.Target{OS: "linux", Arch: arch, Libc: linkmode.LibcNone}); err != nil {
				sel.needsLibc, noLibc = true, err
				break
			}
		}
	}
	candidates := explicit
	if candidates == nil {
		libcs := []linkmode.Libc{linkmode.LibcNone}
		if sel.needsLibc {
			libcs = []linkmode.Libc{linkmode.LibcMusl, linkmode.LibcGlibc}
		}
		for _, libc := range libcs {
			for _, arch := range linkmode.Arches {
				candidates = append(candidates, linkmode.Target{OS: "linux", Arch: arch, Libc: libc}.Platform())
			}
		}
	}
	var reasons []string
	same := map[string]string{} // image key (arch and the libc it links) -> first platform
	for _, name := range candidates {
		why := unfit(facts, name, base, noLibc)
		if why == "" {
			key, libc := imageKey(facts, name)
			first, dup := same[key]
			if !dup {
				same[key] = name
				sel.platforms = append(sel.platforms, name)
				continue
			}
			why = fmt.Sprintf("it gives the same linux/%s image as %s (libc %s), and an index holds each platform/libc pair once", key[:strings.Index(key, "/")], first, libc)
		}
		reasons = append(reasons, name+": "+why)
		if explicit != nil {
			sel.warnings = append(sel.warnings, fmt.Sprintf("go_image_platforms: %s left out of the index: %s", name, why))
		}
	}
	if len(sel.platforms) == 0 {
		return sel, fmt.Errorf("no platform can build an image of this binary:\n\t%s\nList platforms that can in # gazelle:go_image_platforms (or leave it empty for the planner's choice), use another # gazelle:go_image_base, or turn images off here with # gazelle:go_image off", strings.Join(reasons, "\n\t"))
	}
	return sel, nil
}

// unfit returns why the binary cannot have an image for platform name, or
// "" when it can. noLibc, when set, is why the binary needs a libc.
func unfit(facts map[linkmode.Arch]*linkmode.Facts, name, base string, noLibc error) string {
	t, err := linkmode.ParsePlatform(name)
	if err != nil {
		return err.Error()
	}
	f := facts[t.Arch]
	if f == nil {
		return fmt.Sprintf("the main package has no Go file for linux/%s", t.Arch)
	}
	plan, err := linkmode.Decide(*f, t)
	if err != nil {
		return err.Error()
	}
	if noLibc != nil && t.Libc == linkmode.LibcNone {
		return fmt.Sprintf("the binary needs a libc on another architecture, so its images carry cgo_platforms_only(): %v", noLibc)
	}
	if base != baseAuto && !plan.Base.RunsOn(linkmode.BaseKind(base)) {
		return fmt.Sprintf("the binary is linked %s there and needs the %s base, but go_image_base is %s", plan.Link, plan.Base, base)
	}
	return ""
}

// imageKey returns "arch/libc" of the image the binary gets on platform name
// (a binary that needs no cgo links no libc, whatever the platform's libc),
// and that libc. name must be a platform unfit accepted.
func imageKey(facts map[linkmode.Arch]*linkmode.Facts, name string) (string, string) {
	t, _ := linkmode.ParsePlatform(name)
	plan, _ := linkmode.Decide(*facts[t.Arch], t)
	libc := string(linkmode.LibcNone)
	if plan.Cgo {
		libc = string(t.Libc)
	}
	return string(t.Arch) + "/" + libc, libc
}
