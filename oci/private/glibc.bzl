"""What of Debian's libc6 a glibc base ships: what a cgo Go binary needs to start and run."""

# Image paths (path.Match patterns) of libc6 kept in the `glibc` bases; the rest of libc6 (the
# gconv modules of iconv, libmvec, libnsl, libnss_compat/hesiod, libthread_db, the malloc and
# profiling helpers, about 10 MB) is left out. The `glibc_full` bases keep all of it.
GLIBC_RUNTIME_FILES = [
    # The dynamic loader, in the multiarch directory and at the interpreter path binaries name
    # (/lib64/ld-linux-x86-64.so.2, /lib/ld-linux-aarch64.so.1; /lib is a link to usr/lib).
    "/usr/lib/*-linux-gnu/ld-linux-*.so.*",
    "/usr/lib*/ld-linux-*.so.*",
    # The loader's search path.
    "/etc/ld.so.conf.d/*",
    # The C and math libraries.
    "/usr/lib/*-linux-gnu/libc.so.6",
    "/usr/lib/*-linux-gnu/libm.so.6",
    # Stubs of the libraries glibc 2.34 merged into libc, for binaries linked against an older
    # glibc (--@rules_go_cross//toolchains:glibc_version, 2.28 by default).
    "/usr/lib/*-linux-gnu/libpthread.so.0",
    "/usr/lib/*-linux-gnu/libdl.so.2",
    "/usr/lib/*-linux-gnu/librt.so.1",
    "/usr/lib/*-linux-gnu/libutil.so.1",
    "/usr/lib/*-linux-gnu/libanl.so.1",
    # DNS (res_search for Go's cgo resolver) and the NSS modules of nsswitch.conf's
    # "files dns" (built into libc since 2.34; the modules remain for older binaries).
    "/usr/lib/*-linux-gnu/libresolv.so.2",
    "/usr/lib/*-linux-gnu/libnss_files.so.2",
    "/usr/lib/*-linux-gnu/libnss_dns.so.2",
]
