#include "greet.h"
#include <stdio.h>

#ifdef __GLIBC__
#define LIBC "glibc"
#else
#define LIBC "musl"
#endif

int greet(const char *name, char *buf, int len) {
  return snprintf(buf, (size_t)len, "C says hello to %s (libc %s)", name, LIBC);
}
