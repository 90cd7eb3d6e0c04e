// Package remoteworker runs a real remote-execution engine on this machine: Bazel's own
// reference worker (src/tools/remote of Bazel 7.7.1: CAS, action cache, Execution and
// ByteStream over gRPC), compiled from Debian's bazel-bootstrap-source in the offline root
// that tools/bazel provisions, and listening on 127.0.0.1 only.
//
// The worker runs in a private mount namespace whose root is the offline root, entered with
// pivot_root (not chroot: the kernel refuses a new user namespace to a chrooted process,
// which is what linux-sandbox needs). Every action then runs in linux-sandbox: a new user,
// mount, PID and network namespace (loopback only), a private tmpfs /tmp, the file system
// read-only except the action's own directory. The root's host toolchains (gcc, binutils,
// libc headers, Debian's Go) are hidden first, so an action that reaches for a host compiler
// fails instead of quietly using one.
package remoteworker
