"""Unit tests of go_buildinfo: the text it records, and the message for each bad argument."""

load("@bazel_skylib//lib:unittest.bzl", "asserts", "unittest")

# The unit tests call the private helpers that go_buildinfo is built from.
# buildifier: disable=bzl-visibility
load("//go/private:buildinfo.bzl", "buildinfo")

_MOD = "example.com/repo"

# (what is wrong, path, module, version, deps, a part of the expected message)
_BAD = [
    ("empty path", "", _MOD, "(devel)", {}, "must be the main package's import path"),
    ("path with a space", "example.com/repo/a b", _MOD, "(devel)", {}, "must be the main package's import path"),
    ("module with a tab", "example.com/repo", "example.com/\trepo", "(devel)", {}, "must be the main module's path"),
    ("path outside the module", "example.com/other/cmd", _MOD, "(devel)", {}, "is not in module"),
    ("path that only shares a prefix", "example.com/repository/cmd", _MOD, "(devel)", {}, "is not in module"),
    ("version without v", _MOD + "/cmd", _MOD, "1.2.3", {}, "must be \"(devel)\" or a module version"),
    ("deps as a list", _MOD, _MOD, "(devel)", ["golang.org/x/sys"], "deps must be a dict"),
    ("dep with its version in the key", _MOD, _MOD, "(devel)", {"golang.org/x/sys@v0.30.0": "v0.30.0"}, "must be a module path"),
    ("the main module as a dep", _MOD, _MOD, "(devel)", {_MOD: "v1.0.0"}, "is the main module"),
    ("dep version not a string", _MOD, _MOD, "(devel)", {"golang.org/x/sys": 1}, "must be a string"),
    ("dep version without v", _MOD, _MOD, "(devel)", {"golang.org/x/sys": "0.30.0"}, "give \"v1.2.3\""),
    ("dep with three fields", _MOD, _MOD, "(devel)", {"golang.org/x/sys": "v0.30.0 h1:x= extra"}, "give \"v1.2.3\""),
    ("dep sum not h1", _MOD, _MOD, "(devel)", {"golang.org/x/sys": "v0.30.0 sha256:x"}, "go.sum's h1: hash"),
]

def _errors_test_impl(ctx):
    env = unittest.begin(ctx)
    for what, path, module, version, deps, want in _BAD:
        err = buildinfo(path, module, version, deps).error
        asserts.true(env, err != None and want in err, "%s: want an error containing %r, got %r" % (what, want, err))
    for path in [_MOD, _MOD + "/cmd/app"]:
        asserts.equals(env, None, buildinfo(path, _MOD, "v1.2.3", {"golang.org/x/sys": "v0.30.0 h1:abc="}).error, "valid arguments for " + path)
    return unittest.end(env)

def _text_test_impl(ctx):
    env = unittest.begin(ctx)
    asserts.equals(
        env,
        "path\texample.com/repo/cmd/app\n" +
        "mod\texample.com/repo\t(devel)\t\n" +
        "dep\tgithub.com/google/uuid\tv1.6.0\t\n" +
        "dep\tgolang.org/x/sys\tv0.30.0\th1:abc=\n",
        buildinfo(_MOD + "/cmd/app", _MOD, "(devel)", {"golang.org/x/sys": "v0.30.0 h1:abc=", "github.com/google/uuid": "v1.6.0"}).text,
    )
    return unittest.end(env)

_errors_test = unittest.make(_errors_test_impl)
_text_test = unittest.make(_text_test_impl)

def buildinfo_test_suite(name):
    """The unit tests of go_buildinfo, as a test_suite `name`.

    Args:
      name: name of the test_suite.
    """
    unittest.suite(name, _errors_test, _text_test)
