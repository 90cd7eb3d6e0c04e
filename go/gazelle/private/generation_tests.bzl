"""Golden-file tests of a gazelle binary, run twice: once from BUILD.in, once more from the result."""

load("@bazel_skylib//rules:copy_file.bzl", "copy_file")
load("@gazelle//:def.bzl", "gazelle_generation_test")

def gazelle_generation_tests(name, gazelle_binary, test_data, gazelle_timeout_seconds = 30, **kwargs):
    """Two gazelle_generation_tests (gazelle's golden-file tests) over the same test workspaces.

    * `name`: in each workspace (a directory with a MODULE.bazel), gazelle runs on the BUILD.in
      files and must write the BUILD.out files, with the expectedStdout.txt, expectedStderr.txt
      and expectedExitCode.txt the workspace holds (empty and 0 when absent).
    * `name + "_rerun"`: gazelle runs again on the BUILD.out files (copied to BUILD.rerun) and must
      leave them as they are, with the same output and exit code: a second run changes nothing.

    Args:
      name: name of the first test; the second is `name + "_rerun"`.
      gazelle_binary: the gazelle_binary under test.
      test_data: the files of the test workspaces, as a list of paths in this package (a glob).
      gazelle_timeout_seconds: how long one gazelle run may take.
      **kwargs: attributes of both tests (size, tags, ...).
    """
    gazelle_generation_test(
        name = name,
        gazelle_binary = gazelle_binary,
        test_data = test_data,
        gazelle_timeout_seconds = gazelle_timeout_seconds,
        **kwargs
    )
    reruns = []
    for src in test_data:
        if src.endswith("BUILD.out"):
            out = src[:-len(".out")] + ".rerun"
            copy_file(
                name = "%s_%s" % (name, out.replace("/", "_")),
                src = src,
                out = out,
                testonly = True,
            )
            reruns.append(out)
    if not reruns:
        fail("gazelle_generation_tests(%s): no BUILD.out file in test_data" % name)
    gazelle_generation_test(
        name = name + "_rerun",
        gazelle_binary = gazelle_binary,
        test_data = test_data + reruns,
        build_in_suffix = ".rerun",
        build_out_suffix = ".out",
        gazelle_timeout_seconds = gazelle_timeout_seconds,
        **kwargs
    )
