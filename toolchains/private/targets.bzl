"""The target triples of the zig cc toolchains: the one table every toolchain file reads."""

# Zig target triple (glibc triples get `.<glibc_version>` appended) -> what the toolchain is for.
#   cpu:        the @platforms//cpu constraint value
#   bazel_cpu:  the cc toolchain's target_cpu (Bazel's legacy CPU name)
#   libc:       the //platforms:libc value, and the toolchain's target_libc
TARGETS = {
    "x86_64-linux-musl": struct(cpu = "x86_64", bazel_cpu = "k8", libc = "musl"),
    "aarch64-linux-musl": struct(cpu = "aarch64", bazel_cpu = "aarch64", libc = "musl"),
    "x86_64-linux-gnu": struct(cpu = "x86_64", bazel_cpu = "k8", libc = "glibc"),
    "aarch64-linux-gnu": struct(cpu = "aarch64", bazel_cpu = "aarch64", libc = "glibc"),
}
