"""Analysis tests: no silent cgo stubs.

A binary whose graph has a package with C code, built with cgo off, must not become an image or
a platform binary: the rules find the candidates (CgoStubsInfo) and declare the check
(`linkmode stubs`, GoCgoStubs) that the image waits for. The check's message is tested by
go/cmd/linkmode's tests and, built for real, by tests/cgo_stubs/cgo_stubs_test.sh.
"""

load("@bazel_skylib//lib:unittest.bzl", "analysistest", "asserts")
load("//go:defs.bzl", "CgoStubsInfo", "no_cgo_stubs")

_PKG = "github.com/rules-go-cross/rules_go_cross/tests/cgo_stubs/cstub"
_FALLBACK = str(Label("//go:cgo_pure_fallback"))

def _platforms(name):
    return {"//command_line_option:platforms": str(Label("//platforms:" + name))}

def _checked_impl(ctx):
    env = analysistest.begin(ctx)
    actions = analysistest.target_actions(env)
    checks = [a for a in actions if a.mnemonic == "GoCgoStubs"]
    if not ctx.attr.want:
        asserts.equals(env, 0, len(checks), "GoCgoStubs actions (nothing to check)")
        return analysistest.end(env)
    asserts.equals(env, 1, len(checks), "GoCgoStubs actions")
    if len(checks) != 1:
        return analysistest.end(env)
    report = checks[0].outputs.to_list()[0]
    check = [f for f in checks[0].inputs.to_list() if f.basename.endswith(".cgo_stubs_check.json")]
    asserts.equals(env, 1, len(check), "the check file among the inputs")
    writes = [a for a in actions if check and check[0] in a.outputs.to_list()]
    content = writes[0].content if writes else ""
    for want in ctx.attr.want:
        asserts.true(env, want in content, "the check file says %s:\n%s" % (want, content))
    for mnemonic in ctx.attr.gated:
        gated = [a for a in actions if a.mnemonic == mnemonic]
        asserts.true(env, len(gated) == 1 and report in gated[0].inputs.to_list(), "%s waits for the check" % mnemonic)
    return analysistest.end(env)

def _checked(platform, extra = {}):
    return analysistest.make(
        _checked_impl,
        attrs = {"want": attr.string_list(), "gated": attr.string_list()},
        config_settings = _platforms(platform) | extra,
    )

def _aspect_group_impl(ctx):
    env = analysistest.begin(ctx)
    target = analysistest.target_under_test(env)
    got = [f.basename for f in target[OutputGroupInfo].no_cgo_stubs.to_list()]
    asserts.equals(env, ctx.attr.want, got, "the no_cgo_stubs output group")
    return analysistest.end(env)

def _checked_by_aspect(platform):
    return analysistest.make(
        _aspect_group_impl,
        attrs = {"want": attr.string_list()},
        config_settings = _platforms(platform),
        extra_target_under_test_aspects = [no_cgo_stubs],
    )

def _stubs_impl(ctx):
    env = analysistest.begin(ctx)
    target = analysistest.target_under_test(env)
    got = sorted([s.importpath for s in target[CgoStubsInfo].stubs.to_list()])
    asserts.equals(env, ctx.attr.want_stubs, got, "packages compiled as cgo stubs")
    return analysistest.end(env)

def _stubs(platform, extra = {}):
    return analysistest.make(
        _stubs_impl,
        attrs = {"want_stubs": attr.string_list()},
        config_settings = _platforms(platform) | extra,
        extra_target_under_test_aspects = [no_cgo_stubs],
    )

# A rule must be bound to a top-level name to be exported.
_image_pure_amd64_test = _checked("linux_amd64")
_image_host_test = _checked("host")
_image_musl_test = _checked("linux_amd64_musl")
_image_fallback_test = _checked("linux_amd64", {_FALLBACK: [_PKG]})
_platform_binary_test = _checked("host")
_aspect_pure_arm64_test = _checked_by_aspect("linux_arm64")
_stubs_pure_test = _stubs("linux_amd64")
_stubs_musl_test = _stubs("linux_amd64_musl")
_stubs_fallback_test = _stubs("linux_amd64", {_FALLBACK: [_PKG]})

def cgo_stubs_test_suite(name):
    """The tests of no silent stubs; the targets under test are in this package.

    Args:
      name: name of the test_suite.
    """
    pkg = "\"importpath\":\"%s\"" % _PKG
    _image_pure_amd64_test(
        name = name + "_image_pure_amd64",
        target_under_test = ":image",
        want = [pkg, "\"platform\":\"linux_amd64\"", "\"goarch\":\"amd64\"", "\"suggest\":[\"linux_amd64_musl\",\"linux_amd64_glibc\"]", "\"who\":\"go_image @@//tests/cgo_stubs:image\"", "tests/cgo_stubs/cstub/answer.c"],
        gated = ["GoImage"],
    )
    _image_host_test(
        name = name + "_image_host",
        target_under_test = ":image",
        want = [pkg, "\"platform\":\"host\"", "\"goarch\":\"amd64\""],
        gated = ["GoImage"],
    )
    _image_musl_test(
        name = name + "_image_musl",
        target_under_test = ":image",
    )
    _image_fallback_test(
        name = name + "_image_fallback",
        target_under_test = ":image",
    )
    _platform_binary_test(
        name = name + "_platform_binary",
        target_under_test = ":binaries_linux_arm64",
        want = [pkg, "\"platform\":\"linux_arm64\"", "\"goarch\":\"arm64\"", "\"binary\":\"@@//tests/cgo_stubs/app:app\""],
    )
    _aspect_pure_arm64_test(
        name = name + "_aspect_pure_arm64",
        target_under_test = "//tests/cgo_stubs/app",
        want = ["app.cgo_stubs.json"],
    )
    _stubs_pure_test(
        name = name + "_stubs_pure",
        target_under_test = "//tests/cgo_stubs/app",
        want_stubs = [_PKG],
    )
    _stubs_musl_test(
        name = name + "_stubs_musl",
        target_under_test = "//tests/cgo_stubs/app",
        want_stubs = [],
    )
    _stubs_fallback_test(
        name = name + "_stubs_fallback",
        target_under_test = "//tests/cgo_stubs/app",
        want_stubs = [],
    )
    native.test_suite(
        name = name,
        tests = [
            name + "_" + t
            for t in [
                "image_pure_amd64",
                "image_host",
                "platform_binary",
                "aspect_pure_arm64",
                "stubs_pure",
                "stubs_musl",
                "stubs_fallback",
                "image_fallback",
                "image_musl",
            ]
        ],
    )
