"""Analysis tests: `gotags = musl_gotags()` gives a go_binary built with --platforms the musl tag on musl platforms only."""

load("@bazel_skylib//lib:unittest.bzl", "analysistest", "asserts")

def _tags_impl(ctx):
    env = analysistest.begin(ctx)
    compiles = [a for a in analysistest.target_actions(env) if a.mnemonic == "GoCompilePkg"]
    asserts.equals(env, 1, len(compiles), "GoCompilePkg actions of the binary")
    if compiles:
        argv = compiles[0].argv
        tags = argv[argv.index("-tags") + 1].split(",") if "-tags" in argv else []
        asserts.equals(env, ctx.attr.musl, "musl" in tags, "musl among the compile's tags %s" % tags)
    return analysistest.end(env)

def _make(platform):
    return analysistest.make(
        _tags_impl,
        attrs = {"musl": attr.bool()},
        config_settings = {"//command_line_option:platforms": str(Label("//platforms:" + platform))},
    )

_musl_test = _make("linux_arm64_musl")
_glibc_test = _make("linux_arm64_glibc")
_pure_test = _make("linux_amd64")

def musltag_analysis_test_suite(name):
    """The analysis tests of musl_gotags().

    Args:
      name: name of the test_suite.
    """
    _musl_test(name = name + "_musl", target_under_test = "//tests/musltag/app:app_gotags", musl = True)
    _glibc_test(name = name + "_glibc", target_under_test = "//tests/musltag/app:app_gotags", musl = False)
    _pure_test(name = name + "_pure", target_under_test = "//tests/musltag/app:app_gotags", musl = False)
    native.test_suite(name = name, tests = [name + "_musl", name + "_glibc", name + "_pure"])
