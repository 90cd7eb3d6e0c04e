"""go_tool: a pure-Go program built with `go build` of the Go SDK, for the toolchains' own tools."""

def _go_tool_impl(ctx):
    go = ctx.toolchains["@rules_go//go:toolchain"]
    sdk = go.sdk
    out = ctx.actions.declare_file(ctx.label.name)
    args = ctx.actions.args()
    args.add(sdk.go)
    args.add(sdk.root_file.dirname)
    args.add(out)
    args.add_all(ctx.files.srcs)
    ctx.actions.run_shell(
        command = """\
set -eu
go=$1 goroot=$2 out=$3
shift 3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rules_go_cross-go_tool.XXXXXX")
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
GOROOT="$PWD/$goroot" GOCACHE="$tmp/cache" GOPATH="$tmp/gopath" "$go" build -trimpath -ldflags=-buildid= -o "$out" "$@"
""",
        arguments = [args],
        inputs = depset(ctx.files.srcs, transitive = [sdk.headers, sdk.srcs, sdk.libs, sdk.tools]),
        tools = [sdk.go],
        outputs = [out],
        env = {
            "CGO_ENABLED": "0",
            "GO111MODULE": "off",
            "GOARCH": go.default_goarch,
            "GOENV": "off",
            "GOFLAGS": "",
            "GOOS": go.default_goos,
            "GOTELEMETRY": "off",
            "GOTOOLCHAIN": "local",
        },
        mnemonic = "GoToolBuild",
        toolchain = "@rules_go//go:toolchain",
        progress_message = "Building %{label} with go build",
    )
    return [DefaultInfo(files = depset([out]), executable = out)]

go_tool = rule(
    implementation = _go_tool_impl,
    doc = """A pure-Go `package main` of standard-library imports only, built by one `go build`.

The C toolchains' launcher is built this way rather than with `go_binary`: a `go_binary` for the
execution platform first builds the whole Go standard library for it (a minute or more on two
cores), and every cold cgo build waits for the launcher before its C runtime can start. `go build`
compiles only the packages the program imports (about 15 s cold). The output is reproducible
(-trimpath, no build ID), so the actions that run it keep their cache keys across machines.
The same approach as rules_go's own builder.""",
    attrs = {
        "srcs": attr.label_list(allow_files = [".go"], mandatory = True, doc = "The program's .go files (no tests)."),
    },
    executable = True,
    toolchains = ["@rules_go//go:toolchain"],
)
