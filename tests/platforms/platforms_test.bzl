"""Analysis tests: every platform of //platforms carries exactly the constraints it should."""

load("@bazel_skylib//lib:unittest.bzl", "analysistest", "asserts")
load("//platforms:defs.bzl", "PLATFORMS")

# Every constraint value the tests look at. A platform must carry exactly its expected subset.
_UNIVERSE = {
    "os:linux": "@platforms//os:linux",
    "os:windows": "@platforms//os:windows",
    "os:macos": "@platforms//os:macos",
    "cpu:x86_64": "@platforms//cpu:x86_64",
    "cpu:aarch64": "@platforms//cpu:aarch64",
    "cpu:armv7": "@platforms//cpu:armv7",
    "cgo_on": "@rules_go//go/toolchain:cgo_on",
    "cgo_off": "@rules_go//go/toolchain:cgo_off",
    "libc:musl": "//platforms:musl",
    "libc:glibc": "//platforms:glibc",
}

_ConstraintsInfo = provider(
    doc = "Which constraint values of _UNIVERSE the target platform has.",
    fields = {"present": "sorted list of _UNIVERSE keys"},
)

def _probe_impl(ctx):
    present = [
        key
        for key, target in zip(_UNIVERSE.keys(), ctx.attr.values)
        if ctx.target_platform_has_constraint(target[platform_common.ConstraintValueInfo])
    ]
    return [_ConstraintsInfo(present = sorted(present))]

_probe = rule(
    implementation = _probe_impl,
    attrs = {"values": attr.label_list(default = _UNIVERSE.values())},
)

def _expected(name):
    p = PLATFORMS[name]
    keys = ["os:linux", "cpu:" + p.cpu, "cgo_on" if p.cgo else "cgo_off"]
    if p.libc != "none":
        keys.append("libc:" + p.libc)
    return sorted(keys)

def _constraints_test_impl(ctx):
    env = analysistest.begin(ctx)
    info = analysistest.target_under_test(env)[_ConstraintsInfo]
    asserts.equals(env, ctx.attr.expected, info.present, "constraints of " + ctx.attr.platform_name)
    return analysistest.end(env)

def _make_test(name):
    return analysistest.make(
        _constraints_test_impl,
        attrs = {
            "expected": attr.string_list(),
            "platform_name": attr.string(),
        },
        config_settings = {
            "//command_line_option:platforms": str(Label("//platforms:" + name)),
        },
    )

# A rule must be bound to a top-level name to be exported: one test rule per platform.
_linux_amd64_test = _make_test("linux_amd64")
_linux_arm64_test = _make_test("linux_arm64")
_linux_amd64_musl_test = _make_test("linux_amd64_musl")
_linux_arm64_musl_test = _make_test("linux_arm64_musl")
_linux_amd64_glibc_test = _make_test("linux_amd64_glibc")
_linux_arm64_glibc_test = _make_test("linux_arm64_glibc")

_TESTS = {
    "linux_amd64": _linux_amd64_test,
    "linux_arm64": _linux_arm64_test,
    "linux_amd64_musl": _linux_amd64_musl_test,
    "linux_arm64_musl": _linux_arm64_musl_test,
    "linux_amd64_glibc": _linux_amd64_glibc_test,
    "linux_arm64_glibc": _linux_arm64_glibc_test,
}

def platforms_test_suite(name):
    """Declares one analysis test per platform and a test_suite `name` with all of them.

    Args:
      name: name of the test_suite.
    """
    _probe(name = name + "_probe", tags = ["manual"])
    if sorted(_TESTS.keys()) != sorted(PLATFORMS.keys()):
        fail("platforms_test.bzl: add a test rule for each new platform; have %s, PLATFORMS has %s" % (sorted(_TESTS.keys()), sorted(PLATFORMS.keys())))
    tests = []
    for platform_name, test_rule in _TESTS.items():
        test_rule(
            name = "%s_%s_test" % (name, platform_name),
            target_under_test = ":%s_probe" % name,
            expected = _expected(platform_name),
            platform_name = platform_name,
        )
        tests.append(":%s_%s_test" % (name, platform_name))
    native.test_suite(name = name, tests = tests)
