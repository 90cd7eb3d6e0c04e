int a_twice(int x); /* defined by package a's C */

/* Set before main by a constructor. zig links with --gc-sections, so a call of a's C that only Go
   reaches is dropped from the link of b's own _cgo_.o and that link succeeds; a constructor is
   kept, so its call of a_twice leaves an undefined symbol there: the link fails and rules_go
   retries it with -Wl,--unresolved-symbols=ignore-all, which the launcher rewrites for zig. */
static int b_two;

__attribute__((constructor)) static void b_init(void) { b_two = a_twice(1); }

int b_quadruple(int x) { return b_two * a_twice(x); }
