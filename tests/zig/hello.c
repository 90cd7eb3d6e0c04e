#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef VARIANT
#define VARIANT 0
#endif

int main(void) {
	/* a heap allocation and libc string functions, so libc is really linked */
	char *s = malloc(64);
	snprintf(s, 64, "hello from C %d", VARIANT);
	printf("%s, %zu bytes\n", s, strlen(s));
	free(s);
	return 0;
}
