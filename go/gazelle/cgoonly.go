package gazelle

import (
	"github.com/bazelbuild/bazel-gazelle/rule"
	bzl "github.com/bazelbuild/buildtools/build"
)

// cgoOnlyFunc is the //platforms:defs.bzl function whose value marks cgo
// targets: target_compatible_with = cgo_platforms_only().
const cgoOnlyFunc = "cgo_platforms_only"

const attrCompatible = "target_compatible_with"

func cgoOnlyExpr() bzl.Expr { return &bzl.CallExpr{X: &bzl.Ident{Name: cgoOnlyFunc}} }

// isCgoOnly reports whether e is exactly cgo_platforms_only().
func isCgoOnly(e bzl.Expr) bool {
	call, ok := e.(*bzl.CallExpr)
	if !ok || len(call.List) != 0 {
		return false
	}
	id, ok := call.X.(*bzl.Ident)
	return ok && id.Name == cgoOnlyFunc
}

// syncCgoOnly gives gen target_compatible_with = cgo_platforms_only() when
// need is set (gazelle then adds it to the matching existing rule if that
// has no target_compatible_with of its own), and otherwise removes a
// cgo_platforms_only() that the existing rule no longer needs, unless the
// rule or the attribute is marked # keep.
func syncCgoOnly(gen, existing *rule.Rule, need bool) {
	if need {
		gen.SetAttr(attrCompatible, cgoOnlyExpr())
		return
	}
	if existing == nil || existing.ShouldKeep() || !isCgoOnly(existing.Attr(attrCompatible)) || attrKept(existing, attrCompatible) {
		return
	}
	existing.DelAttr(attrCompatible)
}

// attrKept reports whether r's attribute key is marked # keep, on its line
// or on its value.
func attrKept(r *rule.Rule, key string) bool {
	if c := r.AttrComments(key); c != nil && rule.ShouldKeep(&bzl.Ident{Comments: *c}) {
		return true
	}
	return rule.ShouldKeep(r.Attr(key))
}
