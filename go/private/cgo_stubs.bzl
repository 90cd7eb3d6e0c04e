"""No silent stubs: finds the Go packages with C code that a binary was built with cgo off.

A package with `import "C"`, C/C++/assembly sources for the C compiler or `cdeps` builds, with
cgo off, from its `!cgo` files alone, when it has any: most drivers and bindings then compile a
stub that fails at run time ("binary was compiled with 'CGO_ENABLED=0', go-sqlite3 requires cgo
to work"). The aspect here walks a binary's Go dependencies (rules_go's `deps` and `embed`, and
`go_cross_binary`'s `target`) and records each package that declares C code (cgo = True, C
sources, cdeps) but was compiled without its cgo code. `cgo = True` alone proves little
(golang.org/x/sys/unix has it for gccgo and other systems), so an action, `linkmode stubs`,
reads those packages' files with the platform's build constraints, as the planner does, and
fails naming each one that really has C code there. `go_image` (and so `go_image_index`) and
`go_platform_binaries` depend on that action; `no_cgo_stubs` gives a plain `go_binary` the same
check from one `.bazelrc` line.

Packages with a real pure-Go fallback (the package works without cgo, only slower or with fewer
features) are let through by import path with `--@rules_go_cross//go:cgo_pure_fallback=<path>`.
"""

load("@bazel_skylib//rules:common_settings.bzl", "BuildSettingInfo")
load("@rules_go//go:def.bzl", "GoArchive")
load("//platforms:defs.bzl", "PLATFORMS")

# Files that go to the C compiler in a cgo package (`.s` is Go assembly, not listed).
_C_EXTENSIONS = ["c", "cc", "cpp", "cxx", "c++", "C", "m", "mm", "S", "sx", "f", "F", "for", "f90", "swig", "swigcxx"]

CgoStubsInfo = provider(
    doc = "The packages of a Go target's dependency graph that have C code but were compiled with cgo off.",
    fields = {
        "stubs": "depset of structs: importpath (string), label (Label), files (tuple of File: its sources), cdeps (tuple of strings: labels of its cdeps). Candidates: whether a package really has C code for the platform (build constraints) is decided by the check action (`linkmode stubs`).",
    },
)

_ATTR_ASPECTS = ["deps", "embed", "target"]

def _declares_c(rule_attr, files):
    """Whether a go_library/go_binary/go_test declares C code: cgo = True, C sources or cdeps."""
    return (getattr(rule_attr, "cgo", False) or
            bool(getattr(rule_attr, "cdeps", [])) or
            any([f.extension in _C_EXTENSIONS for f in files]))

def _collect_impl(target, ctx):
    transitive = [
        dep[CgoStubsInfo].stubs
        for attr in _ATTR_ASPECTS
        for dep in _as_list(getattr(ctx.rule.attr, attr, None))
        if CgoStubsInfo in dep
    ]
    direct = []
    if GoArchive in target:
        data = target[GoArchive].data
        files = [f for src in getattr(ctx.rule.attr, "srcs", []) for f in src.files.to_list()]

        # rules_go declares the cgo output directory only when it compiles the package's cgo
        # code; without it, the package was built from its pure-Go files alone.
        if _declares_c(ctx.rule.attr, files) and getattr(data, "cgo_out_dir", None) == None:
            allowed = ctx.attr._pure_fallback[BuildSettingInfo].value
            if data.importpath not in allowed:
                direct.append(struct(
                    importpath = data.importpath,
                    label = data.label,
                    files = tuple(files),
                    cdeps = tuple([str(d.label) for d in getattr(ctx.rule.attr, "cdeps", [])]),
                ))
    return [CgoStubsInfo(stubs = depset(direct, transitive = transitive))]

def _as_list(value):
    if value == None:
        return []
    if type(value) == "list":
        return value
    return [value]

_ASPECT_ATTRS = {
    "_pure_fallback": attr.label(default = "//go:cgo_pure_fallback"),
}

cgo_stubs_aspect = aspect(
    implementation = _collect_impl,
    attr_aspects = _ATTR_ASPECTS,
    attrs = _ASPECT_ATTRS,
    provides = [CgoStubsInfo],
    doc = "Collects CgoStubsInfo over a Go target's deps and embed (and go_cross_binary's target).",
)

# The @platforms//cpu values of the platform table, for naming the cgo platforms to suggest.
CPU_CONSTRAINTS = sorted({p.cpu: None for p in PLATFORMS.values()}.keys())

CPU_CONSTRAINT_ATTRS = {
    "_cpu_constraints": attr.label_list(
        default = ["@platforms//cpu:" + cpu for cpu in CPU_CONSTRAINTS],
        providers = [platform_common.ConstraintValueInfo],
    ),
}

def target_cpu(ctx):
    """The @platforms//cpu value (x86_64, aarch64) of the target platform, or None.

    Args:
      ctx: a rule or aspect context with the attributes of CPU_CONSTRAINT_ATTRS.

    Returns:
      A string, or None when the platform has none of the table's CPUs.
    """
    for cpu, c in zip(CPU_CONSTRAINTS, ctx.attr._cpu_constraints):
        if ctx.target_platform_has_constraint(c[platform_common.ConstraintValueInfo]):
            return cpu
    return None

STUB_CHECK_ATTRS = CPU_CONSTRAINT_ATTRS | {
    "_linkmode": attr.label(default = "//go/cmd/linkmode", executable = True, cfg = "exec"),
    "_go_tags": attr.label(default = "@rules_go//go/config:tags"),
}

def stub_check(ctx, who, binary, platform, cpu, info):
    """Declares the action that refuses a binary built with cgo stubs.

    The aspect finds the packages that declare C code but were compiled with cgo off; the action
    (`linkmode stubs`) reads their files with the build constraints of the platform (as the
    planner does) and fails, naming each package that really has C code there and the cgo
    platforms to build for instead.

    Args:
      ctx: a rule or aspect context with the attributes of STUB_CHECK_ATTRS.
      who: what refuses it, e.g. "go_image //app:image".
      binary: label of the binary.
      platform: label of the platform the binary was built for.
      cpu: the platform's @platforms//cpu value (target_cpu).
      info: the binary's CgoStubsInfo.

    Returns:
      The action's report (a File) to make outputs depend on, or None when no package is a
      candidate (nothing to check).
    """
    stubs = {}
    for s in info.stubs.to_list():
        stubs.setdefault(s.importpath, s)
    if not stubs:
        return None
    if cpu == None:
        fail("%s: %s has packages with C code, but its platform %s has none of the CPUs %s" % (who, binary, platform, CPU_CONSTRAINTS))
    goarch = [p.goarch for p in PLATFORMS.values() if p.cpu == cpu][0]
    check = ctx.actions.declare_file("%s.cgo_stubs_check.json" % ctx.label.name)
    ctx.actions.write(check, json.encode(struct(
        who = who,
        binary = str(binary),
        platform = platform.name,
        goarch = goarch,
        suggest = [n for n, p in PLATFORMS.items() if p.cgo and p.cpu == cpu],
        tags = ctx.attr._go_tags[BuildSettingInfo].value,
        fallback_flag = "--@rules_go_cross//go:cgo_pure_fallback",
        packages = [
            struct(importpath = s.importpath, label = str(s.label), files = [f.path for f in s.files], cdeps = list(s.cdeps))
            for s in [stubs[k] for k in sorted(stubs)]
        ],
    )))
    report = ctx.actions.declare_file("%s.cgo_stubs.json" % ctx.label.name)
    ctx.actions.run(
        executable = ctx.executable._linkmode,
        arguments = ["stubs", "-in", check.path, "-out", report.path],
        inputs = depset([check], transitive = [depset(s.files) for s in stubs.values()]),
        outputs = [report],
        mnemonic = "GoCgoStubs",
        progress_message = "Checking %{label} for packages compiled as cgo stubs",
    )
    return report

def _no_cgo_stubs_impl(target, ctx):
    info = _collect_impl(target, ctx)[0]
    report = None
    if ctx.rule.kind == "go_binary":
        report = stub_check(
            ctx,
            "go_binary (no_cgo_stubs)",
            target.label,
            ctx.fragments.platform.platform,
            target_cpu(ctx),
            info,
        )
    return [info, OutputGroupInfo(no_cgo_stubs = depset([report] if report else []))]

no_cgo_stubs = aspect(
    implementation = _no_cgo_stubs_impl,
    attr_aspects = _ATTR_ASPECTS,
    attrs = _ASPECT_ATTRS | STUB_CHECK_ATTRS,
    fragments = ["platform"],
    provides = [CgoStubsInfo],
    doc = """Fails the build of a `go_binary` that was compiled with cgo off but imports a package with C code.

Opt in for every go_binary of a build with one line in `.bazelrc`:

    build --aspects=@rules_go_cross//go:defs.bzl%no_cgo_stubs --output_groups=+no_cgo_stubs

(the aspect finds the candidates, its output group runs the check).

`go_image`, `go_image_index` and `go_platform_binaries` always check; this aspect gives plain
`go_binary` targets (and `bazel build //...`) the same check. Packages with a real pure-Go
fallback pass with `--@rules_go_cross//go:cgo_pure_fallback=<import path>,...`.""",
)
