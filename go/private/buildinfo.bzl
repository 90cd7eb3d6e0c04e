"""Module information for `go_binary`, the way `go build` records it.

`go build` writes the main package path, the main module and the dependency modules into every
binary (`go version -m`, `runtime/debug.ReadBuildInfo`); SBOM generators and scanners such as
syft read them from there. rules_go before 0.63 records only the Go version. The linker takes the
same data as the string variable `runtime.modinfo`, so `x_defs` can carry it.
"""

# runtime/debug and debug/buildinfo drop 16 bytes before and after the text (the go command puts
# binary markers there); these are ASCII so that the value survives Bazel's command lines.
_START = "rules_go_cross<<"
_END = ">>rules_go_cross"

def _bad_chars(s):
    for c in ("\t", "\n", "\r", " "):
        if c in s:
            return True
    return False

def _error(path, module, version, deps):
    if not path or _bad_chars(path):
        return "go_buildinfo: path %r must be the main package's import path (no spaces or tabs)" % path
    if not module or _bad_chars(module):
        return "go_buildinfo: module %r must be the main module's path, as in its go.mod" % module
    if not (path == module or path.startswith(module + "/")):
        return "go_buildinfo: path %r is not in module %r: the main package must be the module or a package under it" % (path, module)
    if version != "(devel)" and (not version.startswith("v") or _bad_chars(version)):
        return "go_buildinfo: version %r of %s must be \"(devel)\" or a module version such as v1.2.3" % (version, module)
    if type(deps) != "dict":
        return "go_buildinfo: deps must be a dict of module path to \"version\" or \"version h1:sum\", got %s" % type(deps)
    for dep, v in deps.items():
        if not dep or _bad_chars(dep) or "@" in dep:
            return "go_buildinfo: dependency %r must be a module path such as golang.org/x/sys (the version goes in the value)" % dep
        if dep == module:
            return "go_buildinfo: %s is the main module; list it as module, not in deps" % dep
        if type(v) != "string":
            return "go_buildinfo: the version of %s must be a string \"version\" or \"version h1:sum\", got %s" % (dep, type(v))
        fields = v.split(" ")
        if len(fields) > 2 or not fields[0].startswith("v") or _bad_chars(fields[0]):
            return "go_buildinfo: %s = %r: give \"v1.2.3\" or \"v1.2.3 h1:<sum from go.sum>\"" % (dep, v)
        if len(fields) == 2 and not fields[1].startswith("h1:"):
            return "go_buildinfo: %s = %r: the sum must be go.sum's h1: hash of the module" % (dep, v)
    return None

def _text(path, module, version, deps):
    lines = ["path\t" + path, "mod\t%s\t%s\t" % (module, version)]
    for dep in sorted(deps):
        fields = deps[dep].split(" ")
        lines.append("dep\t%s\t%s\t%s" % (dep, fields[0], fields[1] if len(fields) > 1 else ""))
    return "\n".join(lines) + "\n"

def buildinfo(path, module, version, deps):
    """Checks go_buildinfo's arguments and gives the text `go version -m` prints for them.

    Args:
      path: the main package's import path.
      module: the main module's path.
      version: the main module's version.
      deps: dict of dependency module path to "version" or "version h1:sum".

    Returns:
      struct(error, text): error names the first problem and what to do (None when there is
      none); text is the module information as the go command writes it (None on error).
    """
    err = _error(path, module, version, deps)
    if err:
        return struct(error = err, text = None)
    return struct(error = None, text = _text(path, module, version, deps))

def go_buildinfo(path, module = None, version = "(devel)", deps = {}):
    """Module information for a `go_binary`, as `x_defs`.

    `go build` records in each binary its main package, main module and the dependency modules;
    `go version -m`, `runtime/debug.ReadBuildInfo`, the SBOMs of `go_image` and scanners such as
    syft read them. rules_go before 0.63 records none of it (only the Go version); this gives it
    back:

    ```starlark
    load("@rules_go_cross//go:defs.bzl", "go_buildinfo")

    go_binary(
        name = "app",
        embed = [":app_lib"],
        x_defs = go_buildinfo(
            path = "example.com/repo/cmd/app",
            module = "example.com/repo",
            deps = {"golang.org/x/sys": "v0.30.0 h1:<from go.sum>"},
        ),
    )
    ```

    List the modules whose packages the binary links (`go list -deps -f '{{with .Module}}{{.Path}}
    {{.Version}}{{end}}' ./cmd/app` prints them); Bazel does not tell the binary's modules apart, so
    nothing checks the list against the build. Replacements and build settings are not recorded.
    Merge with other `x_defs` with `dict(go_buildinfo(...), **{...})`. With rules_go 0.63 or later,
    which records module information itself, do not use it.

    Args:
      path: the main package's import path (`go_library.importpath` of the binary's package).
      module: the main module's path, as in its go.mod; default: `path`.
      version: the main module's version: `"(devel)"`, as `go build` records for a working tree,
        or a release such as `"v1.2.3"`.
      deps: dict of dependency module path to `"v1.2.3"` or `"v1.2.3 h1:<go.sum hash>"`.

    Returns:
      A dict for `go_binary(x_defs = ...)` that sets `runtime.modinfo`.
    """
    if module == None:
        module = path
    info = buildinfo(path, module, version, deps)
    if info.error:
        fail(info.error)
    return {"runtime.modinfo": _START + info.text + _END}
